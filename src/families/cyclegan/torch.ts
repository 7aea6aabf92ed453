/**
 * CycleGAN's PyTorch hooks (engine side): junyanz's ResnetGenerator checkpoints become a
 * CycleGAN experiment, and our G_AB goes out with the reference's names. The name map itself
 * is TF-free, in torchNames.ts.
 *
 * A junyanz file is ONE generator (cycle_gan_model.py saves netG_A, A -> B, as
 * latest_net_G_A.pth and netG_B, B -> A, as latest_net_G_B.pth), where our run has two. The
 * file's name decides which: a name ending in G_B (latest_net_G_B.pth, 200_net_G_B.pth) loads
 * into G_BA, any other (latest_net_G_A.pth, a file with no name) into G_AB. The other generator
 * is the current run's when the page runs a CycleGAN of the same ngf and n_blocks (so loading
 * latest_net_G_A.pth, then latest_net_G_B.pth, makes the reference's pair), else it starts at
 * its seeded initial weights (TorchImport.fresh); D and the optimisers start fresh. Export
 * writes G_AB alone, as latest_net_G_A.pth holds netG_A, so that
 * ResnetGenerator.load_state_dict(strict=True) takes the file.
 *
 * The reference layout is the only one we build: k7 reflection-padded ends, k3 s2 down-
 * sampling, ResnetBlocks with ReflectionPad2d(1) (padding_type 'reflect'), ConvTranspose2d k3
 * s2 p1 output_padding 1 up-sampling, instance norm without affine, no dropout (models/
 * cyclegan.ts resnetGenerator), so every junyanz ResnetGenerator with 3 channels in and out
 * maps, at any ngf and n_blocks the form allows (ngf <= 64, n_blocks <= 9: the reference's
 * resnet_9blocks at ngf 64 fits).
 */
import { CONFIG_METADATA, type TorchHooks } from '../../engine/torchImport';
import { checkExperiment } from '../../io/schema';
import { CYCLEGAN_DEFAULTS, type CycleGanConfig } from '../../models/cyclegan.config';
import type { ExperimentConfig } from '../../protocol/messages';
import {
  CycleGanCheckpointError,
  type CycleGanDirection,
  type CycleGanTorchShape,
  cycleganFromTorch,
  cycleganToTorch,
  type OurTensor,
} from './torchNames';

/**
 * The run a file without our settings becomes: the current CycleGAN's settings when CycleGAN
 * runs now (its image size, data and training), else the defaults (32 px: the page's sizes are
 * 16 and 32; the reference trains at 256, and G, fully convolutional, runs at any size);
 * ngf and n_blocks from the file. A safetensors file we exported carries its settings.
 */
function configFor(
  shape: CycleGanTorchShape,
  metadata: Readonly<Record<string, string>> | undefined,
  current: ExperimentConfig | null,
): { config: ExperimentConfig; fromMetadata: boolean } {
  const saved = metadata?.[CONFIG_METADATA];
  let raw: unknown;
  if (saved) {
    try {
      raw = JSON.parse(saved);
    } catch {
      throw new CycleGanCheckpointError(`The file's ${CONFIG_METADATA} metadata is not JSON`);
    }
  } else {
    const base = current?.kind === 'cyclegan' ? current.model : CYCLEGAN_DEFAULTS;
    const model: CycleGanConfig = { ...base, ngf: shape.ngf, nBlocks: shape.nBlocks };
    raw = { kind: 'cyclegan', seed: current?.kind === 'cyclegan' ? current.seed : 1, model };
  }
  const { config, problem } = checkExperiment(raw);
  if (!config) {
    throw new CycleGanCheckpointError(
      saved
        ? `The file's settings are invalid (${problem})`
        : `This generator (ngf ${shape.ngf}, n_blocks ${shape.nBlocks}) is beyond what the page builds (${problem})`,
    );
  }
  if (config.kind !== 'cyclegan') {
    throw new CycleGanCheckpointError(`The file's settings are for ${config.kind}, not CycleGAN`);
  }
  return { config, fromMetadata: Boolean(saved) };
}

/** Which generator a file fills, by its name: junyanz's `…G_B.pth` is B -> A. */
export function directionOfFile(fileName: string | undefined): CycleGanDirection {
  return fileName && /(?:^|[^A-Za-z0-9])G_B\.\w+$/.test(fileName) ? 'BA' : 'AB';
}

/** True when no key is a Sequential `model.` one: then the file is another family's to read. */
const notOurs = (tensors: Readonly<Record<string, unknown>>) =>
  !Object.keys(tensors).some((k) => /^(module\.)?model\./.test(k));

export const cycleganTorch: TorchHooks = {
  fromTorch(tensors, metadata, current, fileName) {
    if (notOurs(tensors)) return null;
    const dir = directionOfFile(fileName);
    const other: CycleGanDirection = dir === 'AB' ? 'BA' : 'AB';
    const found = cycleganFromTorch(tensors, dir);
    const { config, fromMetadata } = configFor(found.shape, metadata, current);
    const { ngf, nBlocks } = found.shape;
    const size = (config.model as CycleGanConfig).imageSize;
    const ignored =
      found.ignored > 0 ? `; ${found.ignored} running-statistics buffers ignored` : '';
    // The page's run keeps its other generator when the widths agree (experimentFromTorch
    // copies it, weight by weight, where name and shape match).
    const keeps =
      current?.kind === 'cyclegan' &&
      current.model.ngf === ngf &&
      current.model.nBlocks === nBlocks;
    return {
      config,
      specs: found.specs,
      value: (name) => found.value(name),
      fresh: [`G/${other}/`],
      description:
        `junyanz's ResnetGenerator (ngf ${ngf}, n_blocks ${nBlocks}${ignored}) as G_${dir} at ${size} px, ` +
        `G_${other} ${keeps ? 'kept from the current run' : 'fresh'}${fromMetadata ? ' (settings from the file)' : ''}`,
    };
  },
  toTorch(config, weights) {
    if (config.kind !== 'cyclegan') throw new Error('Not a CycleGAN run');
    const shape = { ngf: config.model.ngf, nBlocks: config.model.nBlocks };
    return {
      tensors: cycleganToTorch(shape, weights as ReadonlyMap<string, OurTensor>, 'AB'),
      metadata: {
        format: 'pt',
        model:
          'junyanz/pytorch-CycleGAN-and-pix2pix networks.py ResnetGenerator(3, 3, ngf, norm_layer=instance, use_dropout=False, n_blocks): our G_AB, as latest_net_G_A.pth',
        ngf: String(shape.ngf),
        n_blocks: String(shape.nBlocks),
        [CONFIG_METADATA]: JSON.stringify(config),
      },
    };
  },
};
