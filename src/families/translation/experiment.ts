/**
 * What the translation families' experiments share (Pix2Pix, CycleGAN, UNIT): the two-domain
 * data and its training stream, the iteration count with the reference's schedule (constant,
 * then linear decay to 0 over the second half), the loss row, the resumable streams and
 * counters, and disposal. Each family adds its step, grids and figures.
 */
import type { Rng } from '../../core/random';
import { checkResumeState, type ResumeState, type UploadedData } from '../../engine/experiment';
import type { ModelNetworks } from '../../models/shared/networks';
import { linearDecay } from '../../models/shared/optim';
import type { TranslationTraining } from '../../models/translation.config';
import { TranslationData } from './data';
import { LossRow } from './heldOut';

/** What the shared part needs of a family's model. */
export interface TranslationModel {
  setLearningRate(lr: number): void;
  networks(): ModelNetworks;
  dispose(): void;
}

export abstract class TranslationExperiment<M extends TranslationModel> {
  readonly frameIntervalMs = 1000;
  protected readonly data: TranslationData;
  protected readonly losses: LossRow;
  protected iteration = 0;

  /**
   * `streams` are the resumable random streams, `data` (training batches) first; `terms` the
   * D and G loss terms the row charts; `uploaded` the set the config's datasetId names.
   */
  constructor(
    private readonly training: TranslationTraining,
    seed: number,
    readonly model: M,
    private readonly streams: { readonly data: Rng } & Readonly<Record<string, Rng>>,
    private readonly paired: boolean,
    terms: { readonly d: number; readonly g: number },
    uploaded: UploadedData | null,
  ) {
    this.data = TranslationExperiment.dataFor(training, seed, paired, uploaded);
    this.losses = new LossRow(terms.d, terms.g);
  }

  private static dataFor(
    training: TranslationTraining,
    seed: number,
    paired: boolean,
    uploaded: UploadedData | null,
  ): TranslationData {
    if (training.data === 'faces') {
      return TranslationData.faces(seed, training.datasetSize, training.imageSize);
    }
    if (!uploaded) throw new Error('Choose an uploaded data set to train on');
    return TranslationData.uploaded(uploaded, training.imageSize, paired, seed);
  }

  /** Counts the iteration and sets its learning rate; returns a training batch (caller disposes). */
  protected nextBatch() {
    const { lr, numIters, batchSize } = this.training;
    this.iteration++;
    this.model.setLearningRate(linearDecay(lr, this.iteration, numIters));
    return this.data.batch(this.streams.data, batchSize, this.paired);
  }

  describeData() {
    const how = this.paired ? 'paired' : 'unpaired';
    const name = this.training.data === 'faces' ? `${this.data.name}, ${how}` : this.data.name;
    return { name, attributes: [] };
  }

  networks(): ModelNetworks {
    return this.model.networks();
  }

  /** Counters a family saves beside the iteration (its pools', say), by name. */
  protected counters(): Record<string, number> {
    return {};
  }

  /** Restores what counters() saved; the names are checked before. */
  protected restoreCounters(_counters: Readonly<Record<string, number>>): void {}

  resumeState(): ResumeState {
    const rngs = Object.fromEntries(Object.entries(this.streams).map(([k, r]) => [k, r.state()]));
    return { rngs, counters: { iteration: this.iteration, ...this.counters() } };
  }

  restoreResumeState(state: ResumeState): void {
    checkResumeState(state, Object.keys(this.streams), [
      'iteration',
      ...Object.keys(this.counters()),
    ]);
    for (const [name, rng] of Object.entries(this.streams)) rng.restore(state.rngs[name]!);
    this.iteration = state.counters.iteration!;
    this.restoreCounters(state.counters);
  }

  dispose(): void {
    this.model.dispose();
    this.data.dispose();
    this.losses.dispose();
  }
}
