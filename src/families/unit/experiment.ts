import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/random';
import type { Experiment, RenderInputs, StepResult, UploadedData } from '../../engine/experiment';
import { latentShape, UNIT_LOSS_NAMES, Unit, type UnitNoise } from '../../models/unit';
import type { StepPhase } from '../../protocol/messages';
import { GRID_ROWS } from '../translation/data';
import { TranslationExperiment } from '../translation/experiment';
import * as heldOut from '../translation/heldOut';
import type { TranslateRequest } from '../translation/spec';
import { type FrameUnit, type InfoUnit, UNIT_FIGURES, type UnitConfig } from './spec';

/** Channels of the shared code shown as images, of its 4 dim. */
const LATENT_CHANNELS = 4;
const LATENT_COLUMNS = [
  ...Array.from({ length: LATENT_CHANNELS }, (_, k) => `mu ch ${k}`),
  'G1(mu): photo',
  'G2(mu): drawing',
];

/**
 * Channel k of codes [n, h, w, c] as grey images of side `size` in [-1, 1]: each scaled by its
 * own largest |value|, enlarged by nearest neighbour (each code cell a block of pixels).
 */
function channelImages(mu: tf.Tensor4D, k: number, size: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w] = mu.shape;
    const channel = tf.slice(mu, [0, 0, 0, k], [n, h, w, 1]);
    const scale = tf.add(tf.max(tf.abs(channel), [1, 2, 3], true), 1e-6);
    const grey = tf.image.resizeNearestNeighbor(tf.div(channel, scale) as tf.Tensor4D, [
      size,
      size,
    ]);
    return tf.tile(grey, [1, 1, 1, 3]);
  });
}

/** UNIT bound to the two-domain faces (unpaired draws), its grids and its figures. */
export class UnitExperiment extends TranslationExperiment<Unit> implements Experiment {
  readonly info: InfoUnit;
  /** The N(0, I) draws of z = mu + noise: a resumable stream of their own. */
  private readonly noiseRng: Rng;

  constructor(
    readonly config: UnitConfig,
    seed: number,
    uploaded: UploadedData | null = null,
  ) {
    const rng = new Rng(seed);
    const model = new Unit(config, rng.fork('model'));
    const streams = { data: rng.fork('data'), noise: rng.fork('noise') };
    super(config, seed, model, streams, false, { d: 2, g: 10 }, uploaded);
    this.noiseRng = streams.noise;
    this.info = {
      kind: 'unit',
      lossNames: UNIT_LOSS_NAMES,
      qualityNames: UNIT_FIGURES.map((f) => f.name),
      imageSize: config.imageSize,
      gridColumns: heldOut.twoWayColumnTitles(this.data),
      latentColumns: LATENT_COLUMNS,
      baseline: this.data.baseline,
      domainNames: this.data.domainNames,
      translateColumns: heldOut.TWO_WAY_TRANSLATE_COLUMNS,
      translatesFrom: ['A', 'B'],
    };
  }

  private drawNoise(): UnitNoise {
    const shape = latentShape(this.config, this.config.batchSize);
    const size = shape.reduce((a, b) => a * b, 1);
    const draw = () => tf.tensor4d(this.noiseRng.normalArray(size), shape);
    return { n1: draw(), n2: draw(), n1Cycle: draw(), n2Cycle: draw() };
  }

  /**
   * One iteration of unit.py: E1, E2, G1, G2 together with the Ds fixed, then D1 and D2 on the
   * translations of that forward pass. 'G' or 'D' runs one side alone.
   */
  step(phase: StepPhase): StepResult {
    const { realA, realB } = this.nextBatch();
    const noise = this.drawNoise();
    const result = heldOut.unpairedStep(phase, this.losses, {
      trainG: () => this.model.trainG(realA, realB, noise),
      fakes: () => this.model.fakes(realA, realB, noise),
      trainD: (fakes) => this.model.trainD(realA, realB, fakes),
    });
    tf.dispose([realA, realB, ...Object.values(noise)]);
    return result;
  }

  /** The translate grid, then the latent grid (channels of mu, and mu decoded both ways). */
  frameTensor(): tf.Tensor1D {
    return tf.tidy(() => {
      const { E1, E2, G1, G2 } = this.model;
      const toB = (x: tf.Tensor4D) => G2(E1(x));
      const toA = (x: tf.Tensor4D) => G1(E2(x));
      const translate = heldOut.packGrid(heldOut.twoWayColumns(this.data, toB, toA), []);
      const mu = tf.concat([E1(this.data.gridA), E2(this.data.gridB)]) as tf.Tensor4D;
      const size = this.config.imageSize;
      const channels = Array.from({ length: LATENT_CHANNELS }, (_, k) =>
        channelImages(mu, k, size),
      );
      const latent = heldOut.packGrid([...channels, G1(mu), G2(mu)], []);
      return tf.concat([translate, latent]) as tf.Tensor1D;
    });
  }

  decodeFrame(values: Float32Array, step: number): FrameUnit {
    const rows = 2 * GRID_ROWS;
    const size = this.config.imageSize;
    const split = rows * this.info.gridColumns.length * size * size * 3;
    const { grid } = heldOut.unpackGrid(
      values.subarray(0, split),
      rows,
      this.info.gridColumns.length,
      size,
    );
    const latent = heldOut.unpackGrid(
      values.subarray(split),
      rows,
      LATENT_COLUMNS.length,
      size,
    ).grid;
    return { kind: 'unit', step, grid, latent, quality: null };
  }

  /** The user's images translated out of their domain and back. */
  render(request: TranslateRequest, inputs: RenderInputs): tf.Tensor4D {
    return heldOut.renderTranslations(
      request,
      inputs,
      this.config.imageSize,
      heldOut.twoWay(
        (x) => this.model.translate12(x),
        (x) => this.model.translate21(x),
      ),
    );
  }

  // Six encoder-generator passes over every held-out face: measured on the trainer's own
  // cadence, as CycleGAN's, not with every frame.
  qualityTensor(): tf.Tensor1D {
    return heldOut.twoWayQuality(
      this.data,
      (x) => this.model.translate12(x),
      (x) => this.model.translate21(x),
    );
  }

  /** The row UNIT_FIGURES names. */
  decodeQuality(values: Float32Array): readonly number[] {
    return heldOut.decodeTwoWay(this.data, values);
  }
}
