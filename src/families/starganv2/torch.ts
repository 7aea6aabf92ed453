/**
 * StarGAN v2's PyTorch hooks (engine side): clovaai/stargan-v2's checkpoints (…_nets_ema.ckpt:
 * generator, mapping_network, style_encoder) fill our EMA networks G_ema, F_ema and E_ema, the
 * ones every sample on the page comes from; the live G, F, E and D start fresh. Ours go out as
 * the same dict of state_dicts. The name map itself is TF-free, in torchNames.ts.
 */
import { ANIMAL_DOMAINS } from '../../data/animals';
import type { TorchHooks } from '../../engine/torchImport';
import { checkExperiment } from '../../io/schema';
import {
  STARGANV2_DEFAULTS,
  STARGANV2_SIZES,
  type StarGanV2Config,
} from '../../models/starganv2.config';
import type { ExperimentConfig } from '../../protocol/messages';
import {
  looksLikeStarGanV2,
  MODULES,
  type OurTensor,
  StarGanV2CheckpointError,
  type StarGanV2TorchShape,
  starganv2FromTorch,
  starganv2ToTorch,
} from './torchNames';

/** safetensors metadata key under which our export keeps the experiment's settings. */
export const CONFIG_METADATA = 'gan_playground_experiment';

function fromMetadata(saved: string, shape: StarGanV2TorchShape): ExperimentConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(saved);
  } catch {
    throw new StarGanV2CheckpointError(`The file's ${CONFIG_METADATA} metadata is not JSON`);
  }
  const { config, problem } = checkExperiment(raw);
  if (!config) throw new StarGanV2CheckpointError(`The file's settings are invalid (${problem})`);
  if (config.kind !== 'starganv2') {
    throw new StarGanV2CheckpointError(
      `The file's settings are for ${config.kind}, not StarGAN v2`,
    );
  }
  if (!config.model.datasetId) return config;
  // An uploaded set's domains need that set; the toy animals stand in when their count fits.
  if (shape.numDomains !== ANIMAL_DOMAINS.length) {
    throw new StarGanV2CheckpointError(
      `These networks were trained on an uploaded set of ${shape.numDomains} domains, which this page does not have; the toy animals have ${ANIMAL_DOMAINS.length}`,
    );
  }
  return { ...config, model: { ...config.model, data: 'animals', datasetId: null } };
}

function configFor(
  shape: StarGanV2TorchShape,
  metadata: Readonly<Record<string, string>> | undefined,
): { config: ExperimentConfig; fromFile: boolean } {
  const saved = metadata?.[CONFIG_METADATA];
  if (saved) return { config: fromMetadata(saved, shape), fromFile: true };
  if (!(STARGANV2_SIZES as readonly number[]).includes(shape.imageSize)) {
    throw new StarGanV2CheckpointError(
      `img_size ${shape.imageSize} (the style encoder's ${Math.log2(shape.imageSize) - 2} down-sampling blocks): the page builds StarGAN v2 at ${STARGANV2_SIZES.join(', ')} px`,
    );
  }
  if (shape.numDomains !== ANIMAL_DOMAINS.length) {
    throw new StarGanV2CheckpointError(
      `num_domains ${shape.numDomains}: the page's animals have ${ANIMAL_DOMAINS.length} domains (${ANIMAL_DOMAINS.join(', ')}, as AFHQ)`,
    );
  }
  const model: StarGanV2Config = {
    ...STARGANV2_DEFAULTS,
    imageSize: shape.imageSize as StarGanV2Config['imageSize'],
    convDim: shape.convDim,
    maxConvDim: shape.maxConvDim,
    repeatNum: shape.repeatNum,
    styleDim: shape.styleDim,
    latentDim: shape.latentDim,
    hiddenDim: shape.hiddenDim,
    // At the reference's 256 px a toy animal is 786 KB: few, for a model that came to be looked at.
    datasetSize: shape.imageSize > 64 ? 16 : STARGANV2_DEFAULTS.datasetSize,
  };
  const { config, problem } = checkExperiment({ kind: 'starganv2', seed: 1, model });
  if (!config) {
    throw new StarGanV2CheckpointError(
      `These networks are beyond what the page builds (${problem})`,
    );
  }
  return { config, fromFile: false };
}

export const starganv2Torch: TorchHooks = {
  claims: looksLikeStarGanV2,
  fromTorch(tensors, metadata) {
    if (!looksLikeStarGanV2(Object.keys(tensors))) return null;
    const found = starganv2FromTorch(tensors);
    const { config, fromFile } = configFor(found.shape, metadata);
    const s = found.shape;
    const d = found.discriminator ? '; its discriminator is not loaded' : '';
    return {
      config,
      specs: found.specs,
      value: (name) => found.value(name),
      description:
        `clovaai/stargan-v2's generator, mapping network and style encoder (img_size ${s.imageSize}, ` +
        `dim_in ${s.convDim}, max_conv_dim ${s.maxConvDim}, style_dim ${s.styleDim}, ` +
        `latent_dim ${s.latentDim}, num_domains ${s.numDomains}${d}) as the EMA networks` +
        (fromFile ? ' (settings from the file)' : ''),
    };
  },
  toTorch(config, weights) {
    if (config.kind !== 'starganv2') throw new Error('Not a StarGAN v2 run');
    const m = config.model;
    let numDomains = 0;
    while (weights.has(`F_ema/unshared.${numDomains}.0/W`)) numDomains++;
    const shape: StarGanV2TorchShape = {
      imageSize: m.imageSize,
      convDim: m.convDim,
      maxConvDim: m.maxConvDim,
      repeatNum: m.repeatNum,
      styleDim: m.styleDim,
      latentDim: m.latentDim,
      hiddenDim: m.hiddenDim,
      numDomains,
    };
    return {
      tensors: starganv2ToTorch(shape, weights as ReadonlyMap<string, OurTensor>),
      modules: MODULES.map(([module]) => module),
      metadata: {
        format: 'pt',
        model:
          "clovaai/stargan-v2 core/model.py Generator, MappingNetwork, StyleEncoder (w_hpf = 0), as CheckpointIO's nets_ema",
        img_size: String(m.imageSize),
        style_dim: String(m.styleDim),
        latent_dim: String(m.latentDim),
        num_domains: String(numDomains),
        [CONFIG_METADATA]: JSON.stringify(config),
      },
    };
  },
};
