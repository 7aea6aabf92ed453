/**
 * StarGAN v1's PyTorch hooks (engine side): yunjey/stargan's Generator checkpoints become a
 * generator-only StarGAN experiment, and our generator goes out with the reference's names.
 * The name map itself is TF-free, in torchNames.ts.
 */
import { CONFIG_METADATA, type TorchHooks } from '../../engine/torchImport';
import { checkExperiment } from '../../io/schema';
import {
  STARGAN_DEFAULTS,
  type StarGanConfig,
  type StarGanSize,
} from '../../models/stargan.config';
import type { ExperimentConfig } from '../../protocol/messages';
import {
  type OurTensor,
  StarGanCheckpointError,
  starganFromTorch,
  starganToTorch,
} from './torchNames';

export { CONFIG_METADATA };

/** The reference's CelebA test size: crop 178, resize 128 (solver.py's test transform). */
const REFERENCE_SIZE: StarGanSize = 128;

/** The data sets whose label vector G's c_dim fits: CelebA's 5 attributes, or both with the mask. */
const DATA_BY_C_DIM: Readonly<Record<number, StarGanConfig['data']>> = { 5: 'celeba', 12: 'both' };

function configFor(
  shape: { convDim: number; cDim: number; repeatNum: number },
  metadata: Readonly<Record<string, string>> | undefined,
  current: ExperimentConfig | null,
): { config: ExperimentConfig; fromMetadata: boolean } {
  const saved = metadata?.[CONFIG_METADATA];
  if (saved) {
    let raw: unknown;
    try {
      raw = JSON.parse(saved);
    } catch {
      throw new StarGanCheckpointError(`The file's ${CONFIG_METADATA} metadata is not JSON`);
    }
    const { config, problem } = checkExperiment(raw);
    if (!config) throw new StarGanCheckpointError(`The file's settings are invalid (${problem})`);
    if (config.kind !== 'stargan') {
      throw new StarGanCheckpointError(`The file's settings are for ${config.kind}, not StarGAN`);
    }
    // An uploaded set's labels need that set; the toy faces' labels stand in for them.
    const model = config.model.datasetId
      ? { ...config.model, data: DATA_BY_C_DIM[shape.cDim] ?? 'celeba', datasetId: null }
      : config.model;
    return { config: { ...config, model }, fromMetadata: true };
  }
  const data = DATA_BY_C_DIM[shape.cDim];
  if (!data) {
    throw new StarGanCheckpointError(
      `main.0.weight gives c_dim ${shape.cDim}: the page drives 5 labels (CelebA's Black_Hair, Blond_Hair, Brown_Hair, Male, Young, as yunjey's CelebA model) or 12 (toy CelebA and RaFD with the mask vector)`,
    );
  }
  // A .pt file cannot say its image size (G is fully convolutional): StarGAN's current size
  // when StarGAN runs now, else the reference's CelebA size.
  const imageSize = current?.kind === 'stargan' ? current.model.imageSize : REFERENCE_SIZE;
  const model: StarGanConfig = {
    ...STARGAN_DEFAULTS,
    data,
    imageSize,
    gConvDim: shape.convDim,
    gRepeat: shape.repeatNum,
    // D is not in the file and starts fresh: the app's width, the reference's 2 x 2 patch map.
    dRepeat: Math.log2(imageSize) - 1,
    // Faces are drawn at 196 KB each at 128 px: few, for a model that came to be played with.
    datasetSize: 16,
  };
  const raw = { kind: 'stargan', seed: 1, model };
  const { config, problem } = checkExperiment(raw);
  if (!config) {
    throw new StarGanCheckpointError(
      `This generator (conv_dim ${shape.convDim}, repeat_num ${shape.repeatNum}) is beyond what the page builds (${problem})`,
    );
  }
  return { config, fromMetadata: false };
}

export const starganTorch: TorchHooks = {
  fromTorch(tensors, metadata, current) {
    // No Sequential `main.` key: another reference's file (junyanz's are `model.`), not ours.
    if (!Object.keys(tensors).some((k) => /^(module\.)?main\./.test(k))) return null;
    const found = starganFromTorch(tensors);
    const { config, fromMetadata } = configFor(found.shape, metadata, current);
    const { convDim, cDim, repeatNum } = found.shape;
    const size = (config.model as StarGanConfig).imageSize;
    const ignored =
      found.ignored > 0 ? `; ${found.ignored} running-statistics buffers ignored` : '';
    return {
      config,
      specs: found.specs,
      value: (name) => found.value(name),
      description:
        `yunjey/stargan's Generator (conv_dim ${convDim}, c_dim ${cDim}, repeat_num ${repeatNum}${ignored}) ` +
        `at ${size} px${fromMetadata ? ' (settings from the file)' : ''}`,
    };
  },
  toTorch(config, weights) {
    if (config.kind !== 'stargan') throw new Error('Not a StarGAN run');
    const W = weights.get('G/in/conv/W');
    if (!W) throw new Error('The generator has no G/in/conv/W');
    const shape = {
      convDim: config.model.gConvDim,
      cDim: W.shape[2]! - 3,
      repeatNum: config.model.gRepeat,
    };
    return {
      tensors: starganToTorch(shape, weights as ReadonlyMap<string, OurTensor>),
      metadata: {
        format: 'pt',
        model: 'yunjey/stargan model.py Generator(conv_dim, c_dim, repeat_num)',
        conv_dim: String(shape.convDim),
        c_dim: String(shape.cDim),
        repeat_num: String(shape.repeatNum),
        [CONFIG_METADATA]: JSON.stringify(config),
      },
    };
  },
};
