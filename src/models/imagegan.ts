/** The unconditional image GANs by variant: one constructor per reference (see each file). */
import type { Rng } from '../core/random';
import { Dcgan } from './dcgan';
import { ImageMlpGan } from './gan';
import type { ImageGanConfig } from './imagegan.config';
import type { ImageGan } from './shared/imagegan';
import { Wgan } from './wgan';
import { WganGp } from './wgangp';

export function createImageGan(config: ImageGanConfig, rng: Rng): ImageGan {
  switch (config.variant) {
    case 'gan':
      return new ImageMlpGan(config, rng);
    case 'dcgan':
      return new Dcgan(config, rng);
    case 'wgan':
      return new Wgan(config, rng);
    case 'wgan-gp':
      return new WganGp(config, rng);
  }
}
