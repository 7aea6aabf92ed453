/**
 * StackGAN++'s settings and defaults, apart from the networks so the UI can read them without
 * loading TensorFlow.js. Loss coefficients, optimiser, z and EMA follow hanzhanggit/StackGAN-v2
 * (cfg/birds_3stages.yml for the text-conditional mode, the unconditional configs' colour
 * consistency weight); widths and image sizes are scaled down (16, 32, 64 px, not 64, 128, 256).
 */

/** 'text': conditioned on a caption (the birds/flowers configs); 'unconditional': z alone. */
export type StackGanMode = 'text' | 'unconditional';

/** The first stage's side in pixels; each later stage doubles it (64 in the reference). */
export const STACKGAN_BASE_SIZES = [8, 16] as const;
export type StackGanBaseSize = (typeof STACKGAN_BASE_SIZES)[number];

export interface StackGanConfig {
  readonly mode: StackGanMode;
  readonly baseSize: StackGanBaseSize;
  /** Stages of the tree (TREE.BRANCH_NUM, 3 in the reference). */
  readonly branches: number;
  /** Latent size (Z_DIM, 100). */
  readonly zDim: number;
  /** Conditioning augmentation's output c (EMBEDDING_DIM, 128). */
  readonly embeddingDim: number;
  /** G's channels at the first stage's output (GF_DIM, 64); halved by each later stage. */
  readonly gfDim: number;
  /** Residual blocks per later stage (R_NUM, 2). */
  readonly rNum: number;
  /** D's first conv channels (DF_DIM, 64), doubled per down-sampling. */
  readonly dfDim: number;
  readonly lrG: number;
  readonly lrD: number;
  readonly beta1: number;
  readonly beta2: number;
  /** KL weight of the conditioning augmentation (COEFF.KL, 2). */
  readonly lambdaKl: number;
  /** Weight of the unconditional logit in the conditional losses (COEFF.UNCOND_LOSS, 1). */
  readonly uncondLoss: number;
  /** Colour consistency weight (COEFF.COLOR_SOLVER, 50 in the unconditional configs). */
  readonly lambdaColor: number;
  /** Decay of G's weight average (0.999). */
  readonly emaDecay: number;
  readonly batchSize: number;
  /** Toy faces drawn for training (128 more are held out for the figures). */
  readonly datasetSize: number;
}

export const STACKGAN_DEFAULTS: StackGanConfig = {
  mode: 'text',
  baseSize: 16,
  branches: 3,
  zDim: 100,
  embeddingDim: 16,
  gfDim: 32,
  rNum: 2,
  dfDim: 16,
  lrG: 2e-4,
  lrD: 2e-4,
  beta1: 0.5,
  beta2: 0.999,
  lambdaKl: 2,
  uncondLoss: 1,
  lambdaColor: 50,
  emaDecay: 0.999,
  batchSize: 24,
  // 1000 faces at 64 px are 49 MB of float32 pixels.
  datasetSize: 1000,
};

/** Side of each stage's images: baseSize, 2 baseSize, 4 baseSize... */
export function stageSizes(config: Pick<StackGanConfig, 'baseSize' | 'branches'>): number[] {
  return Array.from({ length: config.branches }, (_, i) => config.baseSize * 2 ** i);
}

/**
 * Chart order of the loss terms: each D's real, wrong (text mode only) and fake terms, then
 * G's adversarial term per stage, KL (text mode) and the colour terms (more than one stage).
 */
export function stackganLossNames(config: StackGanConfig): string[] {
  const sizes = stageSizes(config);
  const text = config.mode === 'text';
  return [
    ...sizes.flatMap((s) => [`D${s} real`, ...(text ? [`D${s} wrong`] : []), `D${s} fake`]),
    ...sizes.map((s) => `G${s}`),
    ...(text ? ['KL'] : []),
    ...(sizes.length > 1 ? ['Colour mean', 'Colour cov'] : []),
  ];
}
