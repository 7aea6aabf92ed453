/**
 * StyleGAN-lite's settings and defaults, apart from the networks so the UI can read them without
 * loading TensorFlow.js. The reference's hyperparameters (NVlabs/stylegan) are the defaults;
 * widths, latent size and image size are scaled down (see stylegan.ts for the departures).
 */

export interface StyleGanConfig {
  readonly dataset: 'faces' | 'uploaded';
  readonly imageSize: 16 | 32 | 64;
  readonly latentDim: number;
  readonly mappingLayers: number;
  readonly mappingLrMul: number;
  readonly width: number;
  readonly mixingProb: number;
  readonly r1Gamma: number;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly wAvgBeta: number;
  readonly emaKimg: number;
  readonly batchSize: number;
  readonly datasetSize: number;
  readonly datasetId: string | null;
}

export const STYLEGAN_DEFAULTS: StyleGanConfig = {
  dataset: 'faces',
  imageSize: 32,
  latentDim: 64,
  mappingLayers: 8,
  mappingLrMul: 0.01,
  width: 32,
  mixingProb: 0.9,
  r1Gamma: 10,
  lr: 0.001,
  beta1: 0,
  beta2: 0.99,
  wAvgBeta: 0.995,
  emaKimg: 0.5,
  batchSize: 16,
  datasetSize: 2000,
  datasetId: null,
};
