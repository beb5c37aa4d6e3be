// Progress output: a cli-progress bar on a terminal, one plain line per epoch otherwise.
import cliProgress from 'cli-progress';
import type { EpochMetrics } from '../train/types.ts';

export interface Progress {
  update(done: number, metrics: EpochMetrics | null, samplesPerSecond: number): void;
  stop(): void;
}

const pct = (v: number | undefined) => (v === undefined ? '' : `${(v * 100).toFixed(1)}%`);

export function createProgress(total: number, mode: 'bar' | 'lines' | 'quiet'): Progress {
  if (mode === 'quiet') return { update() {}, stop() {} };
  if (mode === 'lines') {
    // NOTE: about 20 lines per run, however many epochs, so logs stay readable.
    const every = Math.max(1, Math.ceil(total / 20));
    return {
      update(done, m, sps) {
        if (!m || (done % every !== 0 && done !== total)) return;
        const acc =
          m.testAccuracy === undefined ? '' : ` train acc ${pct(m.trainAccuracy)} test acc ${pct(m.testAccuracy)}`;
        console.log(
          `epoch ${done}/${total} loss ${m.trainLoss.toPrecision(4)} test loss ${m.testLoss.toPrecision(4)}${acc} ${Math.round(sps)} samples/s`,
        );
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: 'epoch {value}/{total} [{bar}] loss {loss} {acc} {speed} samples/s eta {eta_formatted}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { loss: '-', acc: '', speed: 0 });
  return {
    update(done, m, sps) {
      bar.update(done, {
        loss: m ? m.trainLoss.toPrecision(4) : '-',
        acc: m?.testAccuracy === undefined ? '' : `test acc ${pct(m.testAccuracy)}`,
        speed: Math.round(sps),
      });
    },
    stop: () => bar.stop(),
  };
}
