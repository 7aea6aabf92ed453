/**
 * Parity of UNIT with a PyTorch twin of PyTorch-GAN's implementations/unit (models.py, unit.py):
 * E1 (its shared block included), G2 and D1 forward; E/G's ten terms and one Adam step over E1,
 * E2, G1, G2 with given N(0, I) draws; D1's and D2's terms and one step of each Adam on G's
 * translations. Fixture: scripts/reference/make_fixtures_translation.py (make_unit).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { Rng } from '../../core/random';
import { Unit, type UnitNoise } from '../unit';
import { UNIT_DEFAULTS } from '../unit.config';
import { checkTranslationParity } from './translation';

const noiseOf = (inputs: Readonly<Record<string, tf.Tensor4D>>): UnitNoise => ({
  n1: inputs.n1!,
  n2: inputs.n2!,
  n1Cycle: inputs.n1Cycle!,
  n2Cycle: inputs.n2Cycle!,
});

describe('UNIT matches its PyTorch twin', () => {
  it('forward, E/G and D terms, and one Adam step of each optimiser', async () => {
    await checkTranslationParity({
      family: 'unit',
      defaults: UNIT_DEFAULTS,
      build: (config) => new Unit(config, new Rng(1)),
      params: (m) => [m.paramsG, m.paramsD1, m.paramsD2],
      dispose: (m) => m.dispose(),
      forward: (m, { x1 }) => {
        const mu1 = m.E1(x1!);
        return { mu1, G2: m.G2(mu1), D1: m.D1(x1!) };
      },
      steps: {
        G: (m, inputs) => {
          const g = m.trainG(inputs.x1!, inputs.x2!, noiseOf(inputs));
          tf.dispose([g.fakes.fake1, g.fakes.fake2]);
          return g.losses;
        },
        // From the initial weights, on the translations G makes before its step, as unit.py's.
        D: (m, inputs) => {
          const fakes = m.fakes(inputs.x1!, inputs.x2!, noiseOf(inputs));
          const losses = m.trainD(inputs.x1!, inputs.x2!, fakes);
          tf.dispose([fakes.fake1, fakes.fake2]);
          return losses;
        },
      },
      trained: (step, name) => name.startsWith(step),
      // Convs instance norm follows: all of E's, G's residual and up convs, D's middle ones.
      normedBias: (name) =>
        /\/b$/.test(name) && !/\/out\/b$/.test(name) && !/^D[12]\/conv0\/b$/.test(name),
    });
  });
});
