/** An experiment's quality row now, wherever the family computes it (its frame or its own). */
import type { Experiment } from './experiment';

/** For scripts and tests: every part at once (the trainer spreads them; see trainer.ts). */
export async function measureQuality(
  experiment: Experiment,
  step = 0,
): Promise<readonly number[] | null> {
  if (experiment.qualityTensor && experiment.decodeQuality) {
    for (;;) {
      const tensor = experiment.qualityTensor();
      const values = (await tensor.data()) as Float32Array;
      tensor.dispose();
      const part = experiment.decodeQuality(values);
      if (part !== 'pending') return part;
    }
  }
  const tensor = experiment.frameTensor();
  const values = (await tensor.data()) as Float32Array;
  tensor.dispose();
  return experiment.decodeFrame(values, step).quality;
}
