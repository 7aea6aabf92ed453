import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/random';
import type { Experiment, RenderInputs, StepResult, UploadedData } from '../../engine/experiment';
import { CYCLEGAN_LOSS_NAMES, CycleGan } from '../../models/cyclegan';
import type { StepPhase } from '../../protocol/messages';
import { GRID_ROWS } from '../translation/data';
import { TranslationExperiment } from '../translation/experiment';
import * as heldOut from '../translation/heldOut';
import type { TranslateRequest } from '../translation/spec';
import {
  CYCLEGAN_FIGURES,
  type CycleGanConfig,
  type FrameCycleGan,
  type InfoCycleGan,
} from './spec';

const POOL_COUNTERS = ['Fill', 'Queried', 'Reused'] as const;

/** CycleGAN bound to the two-domain faces (unpaired draws), its grid and its figures. */
export class CycleGanExperiment extends TranslationExperiment<CycleGan> implements Experiment {
  readonly info: InfoCycleGan;

  constructor(
    readonly config: CycleGanConfig,
    seed: number,
    uploaded: UploadedData | null = null,
  ) {
    const rng = new Rng(seed);
    // The pool's stream is a resumable stream of its own; the model's weights draw from theirs.
    const pool = rng.fork('pool');
    const model = new CycleGan(config, rng.fork('model'), pool);
    super(config, seed, model, { data: rng.fork('data'), pool }, false, { d: 2, g: 6 }, uploaded);
    this.info = {
      kind: 'cyclegan',
      lossNames: CYCLEGAN_LOSS_NAMES,
      qualityNames: CYCLEGAN_FIGURES.map((f) => f.name),
      imageSize: config.imageSize,
      gridColumns: [...heldOut.twoWayColumnTitles(this.data), 'Identity'],
      baseline: this.data.baseline,
      domainNames: this.data.domainNames,
      translateColumns: heldOut.TWO_WAY_TRANSLATE_COLUMNS,
      translatesFrom: ['A', 'B'],
    };
  }

  /**
   * One iteration of optimize_parameters: G_AB and G_BA updated together with D fixed, then
   * both Ds on the pooled fakes of that forward pass. 'G' or 'D' runs one network alone.
   */
  step(phase: StepPhase): StepResult {
    const { realA, realB } = this.nextBatch();
    const result = heldOut.unpairedStep(phase, this.losses, {
      trainG: () => this.model.trainG(realA, realB),
      fakes: () => this.model.fakes(realA, realB),
      trainD: (fakes) => this.model.trainD(realA, realB, fakes),
    });
    tf.dispose([realA, realB]);
    return result;
  }

  /** The translate grid: held-out faces there and back, the truth, and the identity maps. */
  frameTensor(): tf.Tensor1D {
    return tf.tidy(() => {
      const { G_AB, G_BA } = this.model;
      const identity = (a: tf.Tensor4D, b: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D][] => [
        [G_BA(a), G_AB(b)],
      ];
      return heldOut.packGrid(heldOut.twoWayColumns(this.data, G_AB, G_BA, identity), []);
    });
  }

  decodeFrame(values: Float32Array, step: number): FrameCycleGan {
    const rows = 2 * GRID_ROWS;
    const cols = this.info.gridColumns.length;
    const { grid } = heldOut.unpackGrid(values, rows, cols, this.config.imageSize);
    const a = this.model.poolA.stats();
    const b = this.model.poolB.stats();
    return {
      kind: 'cyclegan',
      step,
      grid,
      quality: null,
      pool: { fill: a.fill, reuseRate: (a.reuseRate + b.reuseRate) / 2 },
    };
  }

  /** The user's images translated out of their domain and back. */
  render(request: TranslateRequest, inputs: RenderInputs): tf.Tensor4D {
    return heldOut.renderTranslations(
      request,
      inputs,
      this.config.imageSize,
      heldOut.twoWay(this.model.G_AB, this.model.G_BA),
    );
  }

  // Four generator passes over every held-out face: many times the grid's cost (on a software
  // GPU it would set the pace of training), so the trainer measures it on its own cadence.
  qualityTensor(): tf.Tensor1D {
    return heldOut.twoWayQuality(this.data, this.model.G_AB, this.model.G_BA);
  }

  /** The row CYCLEGAN_FIGURES names. */
  decodeQuality(values: Float32Array): readonly number[] {
    return heldOut.decodeTwoWay(this.data, values);
  }

  /** The pools' counters; their images come from their buffers, restored with the weights. */
  protected override counters(): Record<string, number> {
    const counters: Record<string, number> = {};
    for (const [name, pool] of [
      ['A', this.model.poolA],
      ['B', this.model.poolB],
    ] as const) {
      const { fill, queried, reused } = pool.counters();
      counters[`pool${name}Fill`] = fill;
      counters[`pool${name}Queried`] = queried;
      counters[`pool${name}Reused`] = reused;
    }
    return counters;
  }

  protected override restoreCounters(c: Readonly<Record<string, number>>): void {
    const counters = (d: 'A' | 'B') => {
      const [fill, queried, reused] = POOL_COUNTERS.map((k) => c[`pool${d}${k}`]!);
      return { fill: fill!, queried: queried!, reused: reused! };
    };
    this.model.poolA.load(counters('A'));
    this.model.poolB.load(counters('B'));
  }
}
