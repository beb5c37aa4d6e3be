// Generated datasets: the logic gates, a 1-D function to fit and the 2-D classification sets of
// TensorFlow Playground. All randomness comes from the seeded generator.
import type { DatasetSpec } from '../format/types.ts';
import { parseExpr } from '../expr/expr.ts';
import type { Rng } from '../prng.ts';
import { DatasetError } from './errors.ts';
import type { Samples } from './split.ts';

const GATES = { xor: [0, 1, 1, 0], and: [0, 0, 0, 1], or: [0, 1, 1, 1] } as const;

/** The 4 points of {0,1}² with one 0/1 target each. */
export function logicGate(kind: keyof typeof GATES): Samples {
  return {
    n: 4,
    inShape: [2],
    outShape: [1],
    x: Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1]),
    y: Float32Array.from(GATES[kind]),
  };
}

type FunctionSpec = Extract<DatasetSpec, { kind: 'function' }>;

/** Throws a DatasetError unless x and y = f(x) (+ noise) are finite as float32 (stored as such). */
function checkPoint(spec: FunctionSpec, x: number, y: number): void {
  const what = !Number.isFinite(Math.fround(x)) ? 'input' : !Number.isFinite(Math.fround(y)) ? 'target' : null;
  if (what)
    throw new DatasetError('dataset.not-finite', { expr: spec.expr, x: x.toPrecision(4), value: String(y), what });
}

/** `samples` points x uniform in the domain, y = f(x) (+ Gaussian noise). */
export function functionSamples(spec: FunctionSpec, rng: Rng): Samples {
  const f = parseExpr(spec.expr);
  const [lo, hi] = spec.domain;
  const x = new Float32Array(spec.samples);
  const y = new Float32Array(spec.samples);
  const noise = spec.noise ?? 0;
  for (let i = 0; i < spec.samples; i++) {
    const xi = rng.range(lo, hi);
    const yi = f.evaluate(xi) + (noise > 0 ? noise * rng.normal() : 0);
    checkPoint(spec, xi, yi);
    x[i] = xi;
    y[i] = yi;
  }
  return { n: spec.samples, inShape: [1], outShape: [1], x, y };
}

/** Points of the domain tried by the analysis: the midpoints of 32 equal parts (not 0 of [-a, a]). */
const PROBES = 32;

/**
 * Tries f at a few points of the domain, so an expression that cannot give training data (e.g.
 * `1e39 + x`, beyond float32) is a problem in the editor, not a surprise when training starts.
 * NOTE: a sample, not a proof: functionSamples checks every point it draws.
 */
export function probeFunction(spec: FunctionSpec): void {
  const f = parseExpr(spec.expr);
  const [lo, hi] = spec.domain;
  for (let i = 0; i < PROBES; i++) {
    const x = lo + ((hi - lo) * (i + 0.5)) / PROBES;
    checkPoint(spec, x, f.evaluate(x));
  }
}

type PlanarKind = 'circle' | 'spiral' | 'gauss' | 'xor_cloud';

/** 2-D points in about [-1, 1]² with a 0/1 label, like TensorFlow Playground's data sets. */
export function planarSamples(kind: PlanarKind, samples: number, noise: number, rng: Rng): Samples {
  const x = new Float32Array(samples * 2);
  const y = new Float32Array(samples);
  for (let i = 0; i < samples; i++) {
    const label = i % 2;
    let px = 0;
    let py = 0;
    if (kind === 'circle') {
      // label 1: inner disc (r < 0.5); label 0: ring 0.7..1.0
      const r = label === 1 ? rng.range(0, 0.5) : rng.range(0.7, 1);
      const a = rng.range(0, 2 * Math.PI);
      px = r * Math.sin(a) + noise * 0.5 * rng.range(-1, 1);
      py = r * Math.cos(a) + noise * 0.5 * rng.range(-1, 1);
    } else if (kind === 'spiral') {
      const t = rng.uniform();
      const r = t * 0.9 + 0.05;
      const a = 1.75 * t * 2 * Math.PI + label * Math.PI;
      px = r * Math.sin(a) + noise * 0.3 * rng.range(-1, 1);
      py = r * Math.cos(a) + noise * 0.3 * rng.range(-1, 1);
    } else if (kind === 'gauss') {
      const c = label === 1 ? 0.4 : -0.4;
      const spread = 0.15 + noise * 0.35;
      px = c + spread * rng.normal();
      py = c + spread * rng.normal();
    } else {
      px = rng.range(-1, 1);
      py = rng.range(-1, 1);
      // keep points off the axes so the label is unambiguous, as the Playground does
      px += px > 0 ? 0.05 : -0.05;
      py += py > 0 ? 0.05 : -0.05;
      const clean = px * py > 0 ? 1 : 0;
      px += noise * 0.3 * rng.range(-1, 1);
      py += noise * 0.3 * rng.range(-1, 1);
      x[2 * i] = px;
      x[2 * i + 1] = py;
      y[i] = clean;
      continue;
    }
    x[2 * i] = px;
    x[2 * i + 1] = py;
    y[i] = label;
  }
  return { n: samples, inShape: [2], outShape: [1], x, y };
}
