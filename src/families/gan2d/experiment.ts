import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/random';
import { DISTRIBUTIONS_2D, type Distribution2d } from '../../data/toy2d';
import {
  checkResumeState,
  type Experiment,
  type ResumeState,
  type StepResult,
} from '../../engine/experiment';
import { histogram2d, jsDivergence, modeQuality } from '../../metrics/quality2d';
import { Gan2d } from '../../models/gan2d';
import { type Gan2dConfig, gan2dLossNames } from '../../models/gan2d.config';
import type { ModelNetworks } from '../../models/shared/networks';
import type { StepPhase } from '../../protocol/messages';
import type { Frame2d, Info2d } from './spec';

/** Generated points drawn and scored in each frame (from one fixed batch of z). */
export const DISPLAY_POINTS = 1024;
/** Resolution of the discriminator heat map. */
export const HEAT_GRID = 40;
/** Arrows of G's gradient field per side. */
export const FIELD_GRID = 16;
/** Histogram bins per axis for the divergence. */
const HIST_BINS = 24;
/** A large real sample keeps the reference histogram's own noise low. */
const REFERENCE_POINTS = 16384;

/** Lattice of cell centres over [-extent, extent]^2, top row first (screen order). */
export function heatGrid(extent: number, size: number): Float32Array {
  const out = new Float32Array(size * size * 2);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const i = row * size + col;
      out[2 * i] = -extent + ((col + 0.5) * 2 * extent) / size;
      out[2 * i + 1] = extent - ((row + 0.5) * 2 * extent) / size;
    }
  }
  return out;
}

export class Gan2dExperiment implements Experiment {
  readonly info: Info2d;
  readonly frameIntervalMs = 100;
  readonly model: Gan2d;
  private readonly distribution: Distribution2d;
  private readonly dataRng: Rng;
  private readonly noiseRng: Rng;
  private readonly displayZ: tf.Tensor2D;
  private readonly grid: tf.Tensor2D;
  private readonly fieldGrid: tf.Tensor2D;
  private readonly referenceHistogram: Float64Array;

  constructor(
    readonly config: Gan2dConfig,
    seed: number,
  ) {
    const rng = new Rng(seed);
    this.distribution = DISTRIBUTIONS_2D[config.dataset];
    this.model = new Gan2d(config, rng.fork('model'));
    this.dataRng = rng.fork('data');
    this.noiseRng = rng.fork('noise');
    const displayRng = rng.fork('display');
    this.displayZ = tf.tensor2d(displayRng.normalArray(DISPLAY_POINTS * config.noiseDim), [
      DISPLAY_POINTS,
      config.noiseDim,
    ]);
    const extent = this.distribution.extent;
    this.grid = tf.tensor2d(heatGrid(extent, HEAT_GRID), [HEAT_GRID * HEAT_GRID, 2]);
    this.fieldGrid = tf.tensor2d(heatGrid(extent, FIELD_GRID), [FIELD_GRID * FIELD_GRID, 2]);
    this.referenceHistogram = histogram2d(
      this.distribution.sample(REFERENCE_POINTS, displayRng),
      extent,
      HIST_BINS,
    );
    this.info = {
      kind: 'gan2d',
      lossNames: gan2dLossNames(config.loss),
      qualityNames: this.distribution.modes
        ? ['JS divergence', 'High-quality share', 'Modes covered']
        : ['JS divergence'],
      real: this.distribution.sample(DISPLAY_POINTS, displayRng),
      extent,
      modesTotal: this.distribution.modes?.centres.length ?? null,
      critic: config.loss === 'wasserstein' || config.loss === 'wassersteinGp',
    };
  }

  private realBatch(): tf.Tensor2D {
    const { batchSize } = this.config;
    return tf.tensor2d(this.distribution.sample(batchSize, this.dataRng), [batchSize, 2]);
  }

  private noiseBatch(): tf.Tensor2D {
    const { batchSize, noiseDim } = this.config;
    return tf.tensor2d(this.noiseRng.normalArray(batchSize * noiseDim), [batchSize, noiseDim]);
  }

  step(phase: StepPhase): StepResult {
    const { kD, kG } = this.config;
    let lossesD: tf.Tensor1D | null = null;
    let lossesG: tf.Tensor1D | null = null;
    if (phase !== 'G') {
      for (let i = 0; i < kD; i++) {
        const real = this.realBatch();
        const z = this.noiseBatch();
        const alpha = tf.tensor2d(this.noiseRng.uniformArray(this.config.batchSize, 0, 1), [
          this.config.batchSize,
          1,
        ]);
        lossesD?.dispose();
        lossesD = this.model.trainD(real, z, alpha);
        tf.dispose([real, z, alpha]);
      }
    }
    if (phase !== 'D') {
      for (let i = 0; i < kG; i++) {
        const z = this.noiseBatch();
        lossesG?.dispose();
        lossesG = this.model.trainG(z);
        z.dispose();
      }
    }
    const dTerms = this.info.lossNames.length - 1;
    const row = tf.tidy(() =>
      tf.concat([lossesD ?? tf.fill([dTerms], Number.NaN), lossesG ?? tf.fill([1], Number.NaN)]),
    ) as tf.Tensor1D;
    tf.dispose([lossesD, lossesG].filter((t): t is tf.Tensor1D => t !== null));
    const computed = this.info.lossNames.map((_, i) =>
      i < dTerms ? phase !== 'G' : phase !== 'D',
    );
    return { losses: row, computed };
  }

  frameTensor(): tf.Tensor1D {
    return tf.tidy(() =>
      tf.concat([
        tf.reshape(this.model.G.apply(this.displayZ), [-1]),
        this.model.realness(this.grid),
        tf.reshape(this.model.generatorPull(this.fieldGrid), [-1]),
      ]),
    ) as tf.Tensor1D;
  }

  decodeFrame(values: Float32Array, step: number): Frame2d {
    const fake = values.slice(0, DISPLAY_POINTS * 2);
    const heatEnd = DISPLAY_POINTS * 2 + HEAT_GRID * HEAT_GRID;
    const realness = values.slice(DISPLAY_POINTS * 2, heatEnd);
    const field = values.slice(heatEnd, heatEnd + FIELD_GRID * FIELD_GRID * 2);
    const { modes, extent } = this.distribution;
    const modeFigures = modes ? modeQuality(fake, modes) : null;
    return {
      kind: 'gan2d',
      step,
      fake,
      realness,
      gridSize: HEAT_GRID,
      field,
      fieldSize: FIELD_GRID,
      // Every figure on a 0-1 scale, modes as a share of all modes, to share one chart.
      quality: [
        jsDivergence(this.referenceHistogram, histogram2d(fake, extent, HIST_BINS)),
        ...(modeFigures
          ? [modeFigures.highQualityShare, modeFigures.modesCovered / modeFigures.modesTotal]
          : []),
      ],
    };
  }

  describeData() {
    return { name: this.config.dataset, attributes: [] };
  }

  networks(): ModelNetworks {
    return this.model.networks();
  }

  resumeState(): ResumeState {
    return { rngs: { data: this.dataRng.state(), noise: this.noiseRng.state() }, counters: {} };
  }

  restoreResumeState(state: ResumeState): void {
    checkResumeState(state, ['data', 'noise'], []);
    this.dataRng.restore(state.rngs.data!);
    this.noiseRng.restore(state.rngs.noise!);
  }

  dispose(): void {
    this.model.dispose();
    tf.dispose([this.displayZ, this.grid, this.fieldGrid]);
  }
}
