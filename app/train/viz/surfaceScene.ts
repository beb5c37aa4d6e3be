// The three.js scene of the 3-D output surface: built once per panel, updated in place for every
// output view, drawn on demand (after a rotation, a zoom or new data), disposed as a whole.
// NOTE: only Surface3D.tsx imports this file, and it is loaded lazily: three.js stays out of the main bundle.
import {
  AmbientLight,
  BufferAttribute,
  BufferGeometry,
  Color,
  DirectionalLight,
  DoubleSide,
  InstancedMesh,
  LineBasicMaterial,
  LineSegments,
  Matrix4,
  Mesh,
  MeshLambertMaterial,
  PerspectiveCamera,
  Scene,
  SphereGeometry,
  SRGBColorSpace,
  Vector3,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import {
  HEIGHT,
  outputRange,
  pointColour,
  pointPositions,
  type SurfaceView,
  surfaceColours,
  surfaceIndices,
  surfacePositions,
} from './surfaceGeometry.ts';

/**
 * Where each HTML label belongs (z up) and the world direction it is pushed away from that point, so
 * that the labels sharing a corner part ways. The labels themselves are DOM text, ≥ 11 px.
 */
export const LABEL_ANCHORS = {
  x1Name: { at: [0, -1, 0], out: [0, -1, 0] },
  // Tick labels at the square's corners lean inward along their axis, clear of the other axis's ticks.
  x1Lo: { at: [-1, -1, 0], out: [0.5, -1, 0] },
  x1Hi: { at: [1, -1, 0], out: [-0.5, -1, 0] },
  x2Name: { at: [1, 0, 0], out: [1, 0, 0] },
  x2Lo: { at: [1, -1, 0], out: [1, 0.5, 0] },
  x2Hi: { at: [1, 1, 0], out: [1, -0.5, 0] },
  zName: { at: [-1, -1, HEIGHT], out: [0, 0, 1] },
  zLo: { at: [-1.06, -1.06, 0], out: [-1, -1, 0] },
  zMid: { at: [-1.06, -1.06, HEIGHT / 2], out: [-1, -1, 0] },
  zHi: { at: [-1.06, -1.06, HEIGHT], out: [-1, -1, 0] },
} as const satisfies Record<string, { at: readonly number[]; out: readonly number[] }>;

export type LabelKey = keyof typeof LABEL_ANCHORS;

export interface SurfaceScene {
  /** Writes a new output view into the existing buffers (new ones only when the grid or point count changes). */
  update(view: SurfaceView): void;
  /** The canvas side in CSS pixels. */
  resize(side: number): void;
  dispose(): void;
}

const LINE_STEP = 4;

/** Lines along every LINE_STEP-th row and column of the grid (sharing the surface's positions). */
function gridLineIndices(size: number): Uint32Array {
  const lines = [...Array.from({ length: Math.ceil(size / LINE_STEP) }, (_, i) => i * LINE_STEP), size - 1];
  const out: number[] = [];
  for (const r of new Set(lines))
    for (let c = 0; c + 1 < size; c++) out.push(r * size + c, r * size + c + 1, c * size + r, (c + 1) * size + r);
  return Uint32Array.from(out);
}

/** The axes: the input square's outline with a cross at its middle, and the output's axis (at the
 * corner on the left from the starting view, clear of the surface) with three ticks. */
function axesGeometry(): BufferGeometry {
  const h = HEIGHT;
  const v = [
    [-1, -1, 0, 1, -1, 0],
    [1, -1, 0, 1, 1, 0],
    [1, 1, 0, -1, 1, 0],
    [-1, 1, 0, -1, -1, 0],
    [0, -1, 0, 0, 1, 0],
    [-1, 0, 0, 1, 0, 0],
    [-1, -1, 0, -1, -1, h],
    [-1, -1, h / 2, -1.06, -1.06, h / 2],
    [-1, -1, h, -1.06, -1.06, h],
    [-1, -1, 0, -1.06, -1.06, 0],
  ].flat();
  return new BufferGeometry().setAttribute('position', new BufferAttribute(Float32Array.from(v), 3));
}

/**
 * Builds the scene on `canvas`; `labels` are positioned (CSS transform) after every frame.
 * Throws when the browser gives no WebGL context (the caller shows a message instead).
 */
export function createSurfaceScene(
  canvas: HTMLCanvasElement,
  labels: () => Partial<Record<LabelKey, HTMLElement | null>>,
  onContextLost: () => void,
): SurfaceScene {
  const renderer = new WebGLRenderer({ canvas, antialias: true });
  renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
  renderer.setClearColor(0xffffff, 1);
  const scene = new Scene();
  const camera = new PerspectiveCamera(30, 1, 0.1, 50);
  camera.up.set(0, 0, 1);
  // Matplotlib's default view (azimuth −60°, elevation 30°): x₁ runs to the lower right, x₂ to the upper right.
  // NOTE: the target sits left of the square's centre: the left corner (with the output's axis) is nearer
  // the camera, so a centred target would push it against the canvas's left edge.
  const target = new Vector3(-0.14, -0.08, HEIGHT * 0.4);
  camera.position.set(2.8, -4.85, 3.1).add(target);
  const controls = new OrbitControls(camera, canvas);
  controls.target.copy(target);
  controls.enablePan = false;
  controls.minDistance = 2.5;
  controls.maxDistance = 14;
  controls.update();

  // NOTE: three's Lambert divides by π, so an ambient light of π shows a vertex colour unchanged;
  // 0.62π + 0.45π·cos θ keeps upward faces near the 2-D view's colours and shades the slopes.
  scene.add(new AmbientLight(0xffffff, 0.62 * Math.PI));
  const sun = new DirectionalLight(0xffffff, 0.45 * Math.PI);
  sun.position.set(1, -1.5, 4);
  scene.add(sun);

  const surfaceMaterial = new MeshLambertMaterial({
    vertexColors: true,
    side: DoubleSide,
    polygonOffset: true,
    polygonOffsetFactor: 1,
    polygonOffsetUnits: 1,
  });
  const lineMaterial = new LineBasicMaterial({ color: 0x334155, transparent: true, opacity: 0.28 });
  const axesMaterial = new LineBasicMaterial({ color: 0x667085 });
  const pointMaterial = new MeshLambertMaterial();
  const sphere = new SphereGeometry(1, 14, 10);
  const axes = axesGeometry();
  scene.add(new LineSegments(axes, axesMaterial));

  let surface: { geometry: BufferGeometry; lines: BufferGeometry; mesh: Mesh; grid: LineSegments } | null = null;
  let points: InstancedMesh | null = null;
  const matrix = new Matrix4();
  const colour = new Color();

  function buildSurface(size: number) {
    if (surface) {
      scene.remove(surface.mesh, surface.grid);
      surface.geometry.dispose();
      surface.lines.dispose();
    }
    const geometry = new BufferGeometry();
    const position = new BufferAttribute(new Float32Array(size * size * 3), 3);
    geometry.setAttribute('position', position);
    geometry.setAttribute('color', new BufferAttribute(new Float32Array(size * size * 3), 3));
    geometry.setIndex(new BufferAttribute(surfaceIndices(size), 1));
    const lines = new BufferGeometry();
    lines.setAttribute('position', position);
    lines.setIndex(new BufferAttribute(gridLineIndices(size), 1));
    const mesh = new Mesh(geometry, surfaceMaterial);
    const grid = new LineSegments(lines, lineMaterial);
    // The bounds change with every update; the whole scene is always in view anyway.
    mesh.frustumCulled = false;
    grid.frustumCulled = false;
    scene.add(mesh, grid);
    surface = { geometry, lines, mesh, grid };
    return surface;
  }

  function buildPoints(count: number) {
    if (points) {
      scene.remove(points);
      points.dispose();
    }
    points = new InstancedMesh(sphere, pointMaterial, count);
    points.frustumCulled = false;
    scene.add(points);
    return points;
  }

  let frame = 0;
  let frames = 0;
  let totalMs = 0;
  const [anchor, ahead] = [new Vector3(), new Vector3()];
  /** Moves each label next to its point, pushed outward along its direction by half its size. */
  function placeLabels() {
    const side = canvas.clientWidth;
    const toScreen = (v: Vector3) => [((v.x + 1) / 2) * side, ((1 - v.y) / 2) * side] as const;
    for (const [key, { at, out }] of Object.entries(LABEL_ANCHORS) as [LabelKey, (typeof LABEL_ANCHORS)[LabelKey]][]) {
      const el = labels()[key];
      if (!el) continue;
      anchor.set(at[0], at[1], at[2]);
      ahead.set(at[0] + out[0] * 0.1, at[1] + out[1] * 0.1, at[2] + out[2] * 0.1).project(camera);
      anchor.project(camera);
      const [x, y] = toScreen(anchor);
      const [ax, ay] = toScreen(ahead);
      const length = Math.hypot(ax - x, ay - y) || 1;
      const [dx, dy] = [(ax - x) / length, (ay - y) / length];
      const [w, h] = [el.offsetWidth / 2, el.offsetHeight / 2];
      const push = Math.min(dx ? w / Math.abs(dx) : Infinity, dy ? h / Math.abs(dy) : Infinity) + 3;
      el.style.visibility = anchor.z > 1 ? 'hidden' : 'visible';
      el.style.transform = `translate(${x + dx * push - w}px, ${y + dy * push - h}px)`;
    }
  }
  function render() {
    frame = 0;
    const start = performance.now();
    renderer.render(scene, camera);
    totalMs += performance.now() - start;
    frames++;
    // Read by scripts/screenshots.mjs and the frame-time measurement: frames drawn, mean CPU ms per render.
    canvas.dataset.frames = String(frames);
    canvas.dataset.renderMs = (totalMs / frames).toFixed(2);
    placeLabels();
  }
  const requestRender = () => {
    if (!frame) frame = requestAnimationFrame(render);
  };
  controls.addEventListener('change', requestRender);
  const lost = (e: Event) => {
    e.preventDefault();
    onContextLost();
  };
  canvas.addEventListener('webglcontextlost', lost);

  return {
    update(view) {
      const range = outputRange(view);
      const s = surface && surface.geometry.getAttribute('position').count === view.size ** 2 ? surface : null;
      const { geometry } = s ?? buildSurface(view.size);
      const position = geometry.getAttribute('position') as BufferAttribute;
      const colours = geometry.getAttribute('color') as BufferAttribute;
      surfacePositions(view, range, position.array as Float32Array);
      surfaceColours(view, colours.array as Float32Array);
      position.needsUpdate = true;
      colours.needsUpdate = true;
      geometry.computeVertexNormals();

      const n = view.labels.length;
      const p = points && points.count === n ? points : buildPoints(n);
      const at = pointPositions(view, range);
      const radius = n > 50 ? 0.03 : 0.07;
      for (let i = 0; i < n; i++) {
        matrix.makeScale(radius, radius, radius).setPosition(at[3 * i]!, at[3 * i + 1]!, at[3 * i + 2]!);
        p.setMatrixAt(i, matrix);
        const [r, g, b] = pointColour(view.labels[i]!);
        p.setColorAt(i, colour.setRGB(r / 255, g / 255, b / 255, SRGBColorSpace));
      }
      p.instanceMatrix.needsUpdate = true;
      if (p.instanceColor) p.instanceColor.needsUpdate = true;
      requestRender();
    },
    resize(side) {
      renderer.setSize(side, side);
      requestRender();
    },
    dispose() {
      if (frame) cancelAnimationFrame(frame);
      controls.removeEventListener('change', requestRender);
      controls.dispose();
      canvas.removeEventListener('webglcontextlost', lost);
      surface?.geometry.dispose();
      surface?.lines.dispose();
      points?.dispose();
      for (const d of [sphere, axes, surfaceMaterial, lineMaterial, axesMaterial, pointMaterial]) d.dispose();
      renderer.dispose();
      // Frees the context now: browsers keep only a few, and the panel may open and close often.
      renderer.forceContextLoss();
    },
  };
}
