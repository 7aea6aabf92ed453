import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/random';
import type { Experiment, RenderInputs, StepResult, UploadedData } from '../../engine/experiment';
import { PIX2PIX_LOSS_NAMES, Pix2Pix } from '../../models/pix2pix';
import type { StepPhase } from '../../protocol/messages';
import { GRID_ROWS } from '../translation/data';
import { TranslationExperiment } from '../translation/experiment';
import {
  packGrid,
  readerPixels,
  renderTranslations,
  translationError,
  unpackGrid,
} from '../translation/heldOut';
import type { TranslateRequest } from '../translation/spec';
import { type FramePix2Pix, type InfoPix2Pix, PIX2PIX_FIGURES, type Pix2PixConfig } from './spec';

const GRID_COLUMNS = ['Input', 'Output', 'True counterpart'];
/** Twice the CycleGAN grid's rows per domain (Pix2Pix translates one way only), as held out. */
const ROWS = 2 * GRID_ROWS;

/** Pix2Pix bound to aligned pairs of the two-domain faces, its grid and its figure. */
export class Pix2PixExperiment extends TranslationExperiment<Pix2Pix> implements Experiment {
  readonly info: InfoPix2Pix;
  /** Held-out inputs and their true outputs in the trained direction. */
  private readonly testX: tf.Tensor4D;
  private readonly testY: tf.Tensor4D;
  /** Grid rows: ROWS, or fewer when an upload holds fewer pairs out. */
  private readonly rows: number;

  constructor(
    readonly config: Pix2PixConfig,
    seed: number,
    uploaded: UploadedData | null = null,
  ) {
    const rng = new Rng(seed);
    const model = new Pix2Pix(config, rng.fork('model'));
    super(config, seed, model, { data: rng.fork('data') }, true, { d: 2, g: 2 }, uploaded);
    const aToB = config.direction === 'AtoB';
    this.testX = aToB ? this.data.testA : this.data.testB;
    this.testY = aToB ? this.data.testB : this.data.testA;
    this.rows = Math.min(ROWS, this.testX.shape[0]);
    this.info = {
      kind: 'pix2pix',
      lossNames: PIX2PIX_LOSS_NAMES,
      qualityNames: PIX2PIX_FIGURES[config.direction].map((f) => f.name),
      imageSize: config.imageSize,
      gridColumns: GRID_COLUMNS,
      baseline: this.data.baseline,
      domainNames: this.data.domainNames,
      translateColumns: ['Your image', 'Output'],
      translatesFrom: [aToB ? 'A' : 'B'],
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
      const x = tf.slice(this.testX, [0, 0, 0, 0], [this.rows, -1, -1, -1]);
      const y = tf.slice(this.testY, [0, 0, 0, 0], [this.rows, -1, -1, -1]);
      return packGrid([x, this.model.G(x), y], []);
    });
  }

  decodeFrame(values: Float32Array, step: number): FramePix2Pix {
    const { grid } = unpackGrid(values, this.rows, GRID_COLUMNS.length, this.config.imageSize);
    return { kind: 'pix2pix', step, grid, quality: null };
  }

  /** The user's images through G (one way: they are taken as its source domain). */
  render(request: TranslateRequest, inputs: RenderInputs): tf.Tensor4D {
    return renderTranslations(request, inputs, this.config.imageSize, (x) => [this.model.G(x)]);
  }

  // A generator pass over every held-out input, read back for the reader: on the trainer's
  // quality cadence, as the two-way translators' figures.
  qualityTensor(): tf.Tensor1D {
    return tf.tidy(() => {
      const fake = this.model.G(this.testX);
      const error = translationError(fake, this.testY);
      return (this.data.readable ? tf.concat([error, readerPixels(fake)]) : error) as tf.Tensor1D;
    });
  }

  /** The row PIX2PIX_FIGURES names: [L1, feature distance, domain accuracy]. */
  decodeQuality(values: Float32Array): readonly number[] {
    const to = this.config.direction === 'AtoB' ? 'B' : 'A';
    return [values[0]!, ...this.data.readerFigures(values.subarray(1), to)];
  }
}
