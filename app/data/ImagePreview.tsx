import { useCallback } from 'react';
import { useT } from '../appContext.tsx';
import { Canvas2D, drawPixels } from '../train/viz/Canvas2D.tsx';

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
  return (
    <section className="ng-digits ng-import-preview" data-testid="import-preview" aria-label={t('import.preview')}>
      {images.captions.slice(0, PREVIEW_IMAGES).map((caption, i) => (
        <figure key={i}>
          <Thumb images={images} index={i} caption={caption} />
          <figcaption>{caption}</figcaption>
        </figure>
      ))}
    </section>
  );
}

function Thumb({ images, index, caption }: { images: PreviewImages; index: number; caption: string }) {
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => drawPixels(ctx, images.data, index, images),
    [images, index],
  );
  return <Canvas2D width={images.width} height={images.height} draw={draw} label={caption} />;
}
