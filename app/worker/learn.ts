// Learn mode in the worker: the numerical gradient check (engine gradientCheck) on a batch of the
// training data, and the step-by-step backprop of one training sample (engine traceSample), both
// with the model's current parameters.
import { type GraphDoc, gradientCheck, type Trainer, traceSample } from '../../engine/index.ts';
import type { WorkerReport } from './protocol.ts';
import type { Probe } from './sessionStats.ts';

/** Rows the check differentiates: the training batch, at most the probe's rows. */
export function checkGradients(trainer: Trainer, doc: GraphDoc, probe: Probe, now: () => number): WorkerReport {
  const rows = Math.min(trainer.batchSize, probe.x.shape[0] as number);
  const inSize = probe.x.data.length / (probe.x.shape[0] as number);
  const outSize = probe.y.data.length / (probe.y.shape[0] as number);
  const x = { shape: [rows, ...probe.x.shape.slice(1)], data: probe.x.data.subarray(0, rows * inSize) };
  const y = { shape: [rows, ...probe.y.shape.slice(1)], data: probe.y.data.subarray(0, rows * outSize) };
  const start = now();
  const result = gradientCheck(doc, trainer.model, x, y);
  return { type: 'gradcheck', result, rows, epoch: trainer.epoch, ms: now() - start };
}

/** Forward and backward on training sample `sample` (clamped to the split). */
export function traceOne(trainer: Trainer, sample: number): WorkerReport {
  const { x, y } = trainer.dataset.train;
  const samples = x.shape[0] as number;
  const i = Math.max(0, Math.min(samples - 1, Math.floor(sample)));
  const inSize = x.data.length / samples;
  const outSize = y.data.length / samples;
  const steps = traceSample(
    trainer.model,
    { shape: [1, ...x.shape.slice(1)], data: x.data.slice(i * inSize, (i + 1) * inSize) },
    { shape: [1, ...y.shape.slice(1)], data: y.data.slice(i * outSize, (i + 1) * outSize) },
  );
  return { type: 'trace', sample: i, samples, epoch: trainer.epoch, steps };
}
