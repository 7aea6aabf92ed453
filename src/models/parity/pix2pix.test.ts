/**
 * Parity of Pix2Pix with a PyTorch twin of junyanz's UnetGenerator, NLayerDiscriminator and
 * pix2pix_model.py (issue 15): G and D forward, D's real/fake terms and one Adam step, then G's
 * GAN and L1 terms and one Adam step against the updated D.
 * Fixture: scripts/reference/make_fixtures_translation.py.
 */
import { describe, it } from 'vitest';
import { Rng } from '../../core/random';
import { Pix2Pix } from '../pix2pix';
import { PIX2PIX_DEFAULTS } from '../pix2pix.config';
import { checkTranslationParity } from './translation';

describe('Pix2Pix matches its PyTorch twin', () => {
  it('forward, D real/fake, G GAN/L1 and one Adam step of each network', async () => {
    await checkTranslationParity({
      family: 'pix2pix',
      defaults: PIX2PIX_DEFAULTS,
      build: (config) => new Pix2Pix(config, new Rng(1)),
      params: (m) => [m.paramsG, m.paramsD],
      dispose: (m) => m.dispose(),
      forward: (m, { realA, realB }) => ({ G: m.G(realA!), D: m.D(realA!, realB!) }),
      steps: {
        D: (m, { realA, realB }) => m.trainD(realA!, realB!),
        G: (m, { realA, realB }) => m.trainG(realA!, realB!),
      },
      trained: (step, name) => name.startsWith(`${step}/`),
    });
  });
});
