import { useCallback } from 'react';
import { useT } from '../appContext.tsx';
import { Canvas2D } from '../train/viz/Canvas2D.tsx';

/** How many images a preview grid shows. */
export const PREVIEW_IMAGES = 16;

export interface PreviewImages {
  /** uint8 [N, H, W, C] (C = 1, 3 or 4), or [N, H, W]. */
  data: ArrayLike<number>;
  height: number;
  width: number;
  channels: number;
  /** Per shown image, its class name. */
  captions: readonly string[];
}

/** The first images of an import, each with its class: what the network will see. */
export function ImagePreview({ images }: { images: PreviewImages }) {
  const t = useT();
  const { height: h, width: w, channels: c } = images;
  const size = h * w * c;
  return (
    <section className="ng-digits ng-import-preview" data-testid="import-preview" aria-label={t('import.preview')}>
      {images.captions.slice(0, PREVIEW_IMAGES).map((caption, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the i-th image of the file
        <figure key={i}>
          <Thumb data={images.data} offset={i * size} height={h} width={w} channels={c} caption={caption} />
          <figcaption>{caption}</figcaption>
        </figure>
      ))}
    </section>
  );
}

function Thumb(p: {
  data: ArrayLike<number>;
  offset: number;
  height: number;
  width: number;
  channels: number;
  caption: string;
}) {
  const { data, offset, height: h, width: w, channels: c } = p;
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => {
      const img = ctx.createImageData(w, h);
      for (let q = 0; q < w * h; q++) {
        for (let k = 0; k < 3; k++) img.data[q * 4 + k] = data[offset + q * c + (c >= 3 ? k : 0)] as number;
        img.data[q * 4 + 3] = c === 4 ? (data[offset + q * c + 3] as number) : 255;
      }
      ctx.putImageData(img, 0, 0);
    },
    [data, offset, w, h, c],
  );
  return <Canvas2D width={w} height={h} draw={draw} label={p.caption} />;
}
