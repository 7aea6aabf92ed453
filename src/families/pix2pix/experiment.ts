import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/random';
import type { Experiment, StepResult } from '../../engine/experiment';
import { PIX2PIX_LOSS_NAMES, Pix2Pix } from '../../models/pix2pix';
import type { StepPhase } from '../../protocol/messages';
import { TranslationExperiment } from '../translation/experiment';
import { GRID_ROWS, packGrid, translationError, unpackGrid } from '../translation/heldOut';
import type { FramePix2Pix, InfoPix2Pix, Pix2PixConfig } from './spec';

const GRID_COLUMNS = ['Input', 'Output', 'True counterpart'];
/** Twice the CycleGAN grid's rows per domain: Pix2Pix translates one way only. */
const ROWS = 2 * GRID_ROWS;

/** Pix2Pix bound to aligned pairs of the two-domain faces, its grid and its figure. */
export class Pix2PixExperiment extends TranslationExperiment<Pix2Pix> implements Experiment {
  readonly info: InfoPix2Pix;
  /** Held-out inputs and their true outputs in the trained direction. */
  private readonly testX: tf.Tensor4D;
  private readonly testY: tf.Tensor4D;

  constructor(
    readonly config: Pix2PixConfig,
    seed: number,
  ) {
    const rng = new Rng(seed);
    const model = new Pix2Pix(config, rng.fork('model'));
    super(config, seed, model, { data: rng.fork('data') }, true, { d: 2, g: 2 });
    const aToB = config.direction === 'AtoB';
    this.testX = aToB ? this.data.testA : this.data.testB;
    this.testY = aToB ? this.data.testB : this.data.testA;
    this.info = {
      kind: 'pix2pix',
      lossNames: PIX2PIX_LOSS_NAMES,
      qualityNames: [aToB ? 'A→B L1' : 'B→A L1'],
      imageSize: config.imageSize,
      gridColumns: GRID_COLUMNS,
      baseline: this.data.baseline.copy,
    };
  }

  /** A D update then a G update against the new D, on one batch of pairs (optimize_parameters). */
  step(phase: StepPhase): StepResult {
    const batch = this.nextBatch();
    const aToB = this.config.direction === 'AtoB';
    const x = aToB ? batch.realA : batch.realB;
    const y = aToB ? batch.realB : batch.realA;
    if (phase !== 'G') this.losses.set('D', this.model.trainD(x, y));
    if (phase !== 'D') this.losses.set('G', this.model.trainG(x, y));
    tf.dispose([batch.realA, batch.realB]);
    return this.losses.result();
  }

  frameTensor(): tf.Tensor1D {
    return tf.tidy(() => {
      const x = tf.slice(this.testX, [0, 0, 0, 0], [ROWS, -1, -1, -1]);
      const y = tf.slice(this.testY, [0, 0, 0, 0], [ROWS, -1, -1, -1]);
      return packGrid(
        [x, this.model.G(x), y],
        [translationError(this.model.G(this.testX), this.testY)],
      );
    });
  }

  decodeFrame(values: Float32Array, step: number): FramePix2Pix {
    const { grid, figures } = unpackGrid(values, ROWS, GRID_COLUMNS.length, this.config.imageSize);
    return { kind: 'pix2pix', step, grid, quality: figures };
  }
}
