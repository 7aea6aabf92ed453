/**
 * Parity of CycleGAN with a PyTorch twin of junyanz's ResnetGenerator, NLayerDiscriminator and
 * cycle_gan_model.py (issue 15): G_AB and D_B forward, G's six terms and one Adam step over both
 * generators, D's two terms and one Adam step over both discriminators on the pooled fakes.
 * Fixture: scripts/reference/make_fixtures_translation.py.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { Rng } from '../../core/random';
import { CycleGan } from '../cyclegan';
import { CYCLEGAN_DEFAULTS } from '../cyclegan.config';
import { checkTranslationParity } from './translation';

describe('CycleGAN matches its PyTorch twin', () => {
  it('forward, G and D terms, and one Adam step of each optimiser', async () => {
    await checkTranslationParity({
      family: 'cyclegan',
      defaults: CYCLEGAN_DEFAULTS,
      build: (config) => new CycleGan(config, new Rng(1), new Rng(2)),
      params: (m) => [m.paramsG, m.paramsD],
      dispose: (m) => m.dispose(),
      forward: (m, { realA, realB }) => ({ G_AB: m.G_AB(realA!), D_B: m.D_B(realB!) }),
      steps: {
        G: (m, { realA, realB }) => {
          const g = m.trainG(realA!, realB!);
          tf.dispose([g.fakes.fakeA, g.fakes.fakeB]);
          return g.losses;
        },
        // The pool is empty, so it hands back G's fakes themselves, as the reference's.
        D: (m, { realA, realB }) => {
          const fakes = m.fakes(realA!, realB!);
          const losses = m.trainD(realA!, realB!, fakes);
          tf.dispose([fakes.fakeA, fakes.fakeB]);
          return losses;
        },
      },
      trained: (step, name) => name.startsWith(`${step}/`),
      // Every G conv but the last, D's middle ones.
      normedBias: (name) =>
        /\/b$/.test(name) && !/\/out\/b$/.test(name) && !/^D\/\w+\/conv0\/b$/.test(name),
    });
  });
});
