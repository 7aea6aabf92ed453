import * as tf from '@tensorflow/tfjs-core';
import { toRgba } from '../data/pixels';
import type { BundleManifest } from '../io/bundle';
import type { Flavour } from '../io/checkpoint';
import type { RunHistory } from '../io/records';
import type {
  ExperimentConfig,
  ExperimentInfo,
  Frame,
  ImageGrid,
  LiveSettings,
  LoopStats,
  LossPoints,
  NetworkSummary,
  NoticeLevel,
  RenderRequest,
  StepPhase,
} from '../protocol/messages';
import { DEFAULT_LIVE_SETTINGS, type QualityPoint } from '../protocol/messages';
import { describeNetworks } from './architecture';
import { benchmarkExperiment } from './benchmark';
import { snapshotExperiment } from './bundles';
import { isSlowMotion, planReadback, StepClock, shouldPostUpdate } from './cadence';
import { isDeviceLoss } from './deviceLoss';
import { errorMessage } from './errors';
import type { Experiment, ExperimentFactory, RenderInputs } from './experiment';
import { HistoryRecorder } from './history';
import { sleep, yieldToEventLoop } from './schedule';
import { experimentFromFile } from './torchImport';

export interface ProgressUpdate {
  readonly step: number;
  readonly running: boolean;
  readonly stepsPerSecond: number;
  readonly elapsedMs: number;
  readonly points: LossPoints;
  readonly frame: Frame | null;
  readonly quality: QualityPoint | null;
}

/** Where the trainer reports; the worker forwards these as messages, tests collect them. */
export interface TrainerEvents {
  /**
   * An experiment is live: a new one after a reset or a loaded file, or (`same`) the current
   * one again, after a reset that failed.
   */
  experiment(info: ExperimentInfo, config: ExperimentConfig, same: boolean): void;
  progress(update: ProgressUpdate): void;
  notice(level: NoticeLevel, message: string): void;
  /**
   * Training failed because the device was lost (see deviceLoss.ts): the listener restarts
   * the backend and the run. Without one, the failure is a notice like any other.
   */
  deviceLost?(reason: string): void;
}

/** Steps per second is measured over roughly this much recent training time. */
const RATE_WINDOW_MS = 2000;
/** Time for the page's first render requests to arrive after an experiment is announced. */
const FIRST_FRAME_DELAY_MS = 100;
/** Separately measured quality figures are refreshed at most this often while training... */
const QUALITY_INTERVAL_MS = 5000;
/** ...and take at most this share of the training time. */
const QUALITY_SHARE = 0.1;

export type { ExperimentFactory };

/**
 * Runs an experiment: play, pause, single steps, reset. Commands are serialised through one
 * lock, so a reset or a single step never interleaves with a step of the loop.
 */
export class Trainer {
  private experiment: Experiment | null = null;
  private config: ExperimentConfig | null = null;
  private stepCount = 0;
  private running = false;
  private loopActive = false;
  /** Bumped by abandon(): a loop or step of an earlier generation has lost its device. */
  private generation = 0;
  private lock: Promise<void> = Promise.resolve();
  private live: LiveSettings = DEFAULT_LIVE_SETTINGS;

  private lastReadbackStep = 0;
  private readonly clock = new StepClock();
  private lastFrameAt = Number.NEGATIVE_INFINITY;
  private lastUpdateAt = Number.NEGATIVE_INFINITY;
  private frameStep = -1;
  private elapsedMs = 0;
  private history = new HistoryRecorder(0, 0);
  private rateSamples: { time: number; step: number }[] = [];

  private pendingSteps: number[] = [];
  private pendingValues: number[] = [];
  private pendingFrame: Frame | null = null;
  private pendingQuality: QualityPoint | null = null;
  /** The step the latest quality figures were measured at, when, and what that cost. */
  private qualityStep = -1;
  private lastQualityAt = Number.NEGATIVE_INFINITY;
  private qualityMs = 0;
  /** A measurement has parts still to run. */
  private measuring = false;
  private loopStats = { steps: 0, computeMs: 0, readbackMs: 0, messagingMs: 0, plannedReads: 0 };

  constructor(
    private readonly events: TrainerEvents,
    /** Builds a family's experiment (the worker's, with its resources; tests pass their own). */
    private readonly factory: ExperimentFactory,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get step(): number {
    return this.stepCount;
  }

  /** The run's charts and training time so far, as a saved run keeps them. */
  runHistory(): RunHistory {
    return this.history.record(this.elapsedMs);
  }

  /** The current model's networks, layer by layer (empty before the first experiment). */
  architecture(): NetworkSummary[] {
    return this.experiment ? describeNetworks(this.experiment.networks()) : [];
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The settings of the run, kept after abandon() to start it again. */
  get currentConfig(): ExperimentConfig | null {
    return this.config;
  }

  setLive(live: LiveSettings): void {
    this.live = live;
  }

  reset(config: ExperimentConfig): Promise<void> {
    this.running = false;
    return this.exclusive(async () => {
      let next: Experiment;
      try {
        next = await this.factory(config);
      } catch (error) {
        // The current run goes on; announcing it again tells the page it is still there.
        if (this.experiment && this.config) {
          this.events.experiment(this.experiment.info, this.config, true);
          this.postUpdate(true);
        }
        throw error;
      }
      this.experiment?.dispose();
      this.experiment = next;
      await this.begin(config, 0);
    });
  }

  /** Starts reporting a freshly installed experiment from `step`. */
  private async begin(
    config: ExperimentConfig,
    step: number,
    saved: RunHistory | null = null,
  ): Promise<void> {
    const experiment = this.experiment!;
    this.config = config;
    this.stepCount = step;
    this.lastReadbackStep = step;
    this.clock.reset();
    this.history = new HistoryRecorder(
      experiment.info.lossNames.length,
      experiment.info.qualityNames.length,
      saved,
    );
    this.elapsedMs = saved?.elapsedMs ?? 0;
    this.rateSamples = [];
    this.pendingSteps = [];
    this.pendingValues = [];
    this.pendingFrame = null;
    this.pendingQuality = null;
    this.frameStep = -1;
    this.qualityStep = -1;
    this.lastQualityAt = Number.NEGATIVE_INFINITY;
    this.qualityMs = 0;
    this.measuring = false;
    this.events.experiment(experiment.info, config, false);
    // The page asks for its playground's first images on hearing of the experiment: let them
    // run (renders need no lock) before the live view, which can take seconds on a CPU.
    await sleep(FIRST_FRAME_DELAY_MS);
    await this.refreshFrame();
    this.postUpdate(true);
    this.measureQualitySoon();
  }

  /**
   * Measures the quality figures after the commands already waiting, one part per turn of the
   * lock, so a step, a pause or a slider never waits for a whole measurement.
   */
  private measureQualitySoon(): void {
    const experiment = this.experiment;
    if (!experiment?.qualityTensor) return;
    const part = () =>
      this.exclusiveResult(async () => {
        const stale = this.measuring || this.qualityStep !== this.stepCount;
        if (this.running || this.experiment !== experiment || !stale) return false;
        await this.qualityPart();
        if (!this.measuring) this.postUpdate(true);
        return this.measuring;
      });
    void (async () => {
      while (await part()) await yieldToEventLoop();
    })().catch((error: unknown) =>
      this.events.notice('warning', `Quality figures failed: ${errorMessage(error)}`),
    );
  }

  /**
   * The current run as a bundle file (see io/bundle): the generator alone, or everything
   * needed to resume exactly. Runs between two steps; the weights are read in one read.
   */
  snapshot(flavour: Flavour, name: string) {
    return this.exclusiveResult(async () => {
      const experiment = this.experiment;
      const config = this.config;
      if (!experiment || !config) throw new Error('There is no model to save yet');
      const run = { config, step: this.stepCount, name, history: this.runHistory() };
      return snapshotExperiment(experiment, run, flavour, (t) => this.read(t));
    });
  }

  /**
   * Replaces the current run with a bundle's. The new model is built and filled aside and
   * only swapped in once every check passed; on any error the current run is untouched, and
   * goes on training if it was (the loop waits for the lock meanwhile).
   */
  load(bytes: Uint8Array, fileName?: string): Promise<BundleManifest> {
    return this.exclusiveResult(async () => {
      // A PyTorch file may fill one of two generators and keep the other from this run.
      const current = this.experiment;
      const generator = current
        ? () => new Map(current.networks().generators.flatMap((p) => [...p.named()]))
        : undefined;
      const { experiment, manifest } = await experimentFromFile(bytes, this.factory, this.config, {
        fileName,
        generator,
      });
      this.running = false;
      this.experiment?.dispose();
      this.experiment = experiment;
      await this.begin(manifest.experiment, manifest.step, manifest.history);
      return manifest;
    });
  }

  /** Runs `task` between two commands (nothing of the run's computes meanwhile): timing backends. */
  between<T>(task: () => Promise<T>): Promise<T> {
    return this.exclusiveResult(task);
  }

  play(): void {
    if (!this.experiment || this.running) return;
    this.running = true;
    // Time spent paused is not device time: measure afresh from the first read.
    this.clock.restart();
    if (!this.loopActive) void this.loop();
  }

  pause(): Promise<void> {
    this.running = false;
    const paused = this.exclusive(async () => {
      await this.refreshFrame();
      this.postUpdate(true);
    });
    this.measureQualitySoon();
    return paused;
  }

  /** One step of `phase`, after any reset in progress (a step that arrives mid-reset waits). */
  stepOnce(phase: StepPhase): Promise<void> {
    return this.exclusive(async () => {
      if (this.running || !this.experiment) return;
      const started = this.now();
      await this.trainStep(phase, true);
      this.elapsedMs += this.now() - started;
      this.postUpdate(true);
    });
  }

  /**
   * A generator pass for the UI, outside the training lock: it only reads the weights, so it
   * runs between two training steps instead of waiting for the next one to finish. Null while
   * a reset is building the next experiment (the UI asks again when it arrives).
   */
  async render(request: RenderRequest, inputs: RenderInputs): Promise<ImageGrid | null> {
    const experiment = this.experiment;
    if (!experiment) return null;
    if (!experiment.render) throw new Error('This model has nothing to render');
    const images = experiment.render(request, inputs);
    const [count, size] = images.shape;
    const values = await this.read(images);
    images.dispose();
    return { rows: 1, cols: count, size, pixels: toRgba(values, count * size * size) };
  }

  /** Times iterations of the current experiment (paused runs only; see benchmarkExperiment). */
  benchmark(warmup: number, iterations: number, kernelTimes: boolean) {
    return this.exclusiveResult(async () => {
      if (!this.experiment) throw new Error('No experiment to benchmark');
      if (this.running) throw new Error('Pause training before benchmarking');
      return benchmarkExperiment(this.experiment, warmup, iterations, kernelTimes);
    });
  }

  /** The loop's time split and planned reads since the last call, which resets them. */
  takeLoopStats(backendReads: number): LoopStats {
    const stats = { ...this.loopStats, backendReads };
    this.loopStats = { steps: 0, computeMs: 0, readbackMs: 0, messagingMs: 0, plannedReads: 0 };
    return stats;
  }

  private async read(tensor: tf.Tensor) {
    const started = this.now();
    this.loopStats.plannedReads++;
    const values = await tensor.data();
    this.loopStats.readbackMs += this.now() - started;
    return values;
  }

  /**
   * After the device was lost: forgets the experiment, whose tensors went with the device,
   * and any step still waiting on it (a lost WebGL context never answers a read, so the lock
   * is let go rather than waited for). Returns whether the run was training. The trainer is
   * then empty until a reset or load.
   */
  abandon(): boolean {
    const wasRunning = this.running;
    this.running = false;
    this.generation++;
    this.loopActive = false;
    this.lock = Promise.resolve();
    const experiment = this.experiment;
    this.experiment = null;
    try {
      experiment?.dispose();
    } catch {
      // Freeing tensors of a lost device can fail; they are gone either way.
    }
    return wasRunning;
  }

  dispose(): Promise<void> {
    this.running = false;
    return this.exclusive(() => {
      this.experiment?.dispose();
      this.experiment = null;
    });
  }

  private exclusive(task: () => Promise<void> | void): Promise<void> {
    return this.exclusiveResult(task);
  }

  private exclusiveResult<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.lock.then(task);
    this.lock = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async loop(): Promise<void> {
    this.loopActive = true;
    const generation = this.generation;
    try {
      while (this.running && generation === this.generation) {
        const started = this.now();
        await this.exclusive(async () => {
          if (!this.running) return;
          await this.trainStep('both', false);
          this.postUpdate(false);
        });
        await this.respectSpeedLimit(started);
        await yieldToEventLoop();
        if (this.running) this.elapsedMs += this.now() - started;
      }
    } catch (error) {
      if (generation !== this.generation) return; // abandoned: its device is gone
      this.running = false;
      if (this.events.deviceLost && isDeviceLoss(error)) {
        this.events.deviceLost(errorMessage(error));
        return;
      }
      this.events.notice('error', `Training stopped: ${errorMessage(error)}`);
      this.postUpdate(true);
    } finally {
      if (generation === this.generation) this.loopActive = false;
    }
  }

  private async respectSpeedLimit(started: number): Promise<void> {
    const { maxStepsPerSecond } = this.live;
    if (maxStepsPerSecond <= 0) return;
    const wait = 1000 / maxStepsPerSecond - (this.now() - started);
    if (wait > 0) await sleep(wait);
  }

  private async trainStep(phase: StepPhase, forced: boolean): Promise<void> {
    const experiment = this.experiment;
    if (!experiment) return;
    const computeStarted = this.now();
    const { losses, computed } = experiment.step(phase);
    this.stepCount++;
    const now = this.now();
    this.loopStats.steps++;
    this.loopStats.computeMs += now - computeStarted;
    const plan = planReadback(
      {
        stepsSinceReadback: this.stepCount - this.lastReadbackStep,
        msSinceFrame: now - this.lastFrameAt,
        forced,
        msPerStep: this.clock.msPerStep,
        slowMotion: isSlowMotion(this.live.maxStepsPerSecond),
      },
      this.live.metricsEvery,
      experiment.frameIntervalMs,
    );
    if (!plan.readback) {
      losses.dispose();
      return;
    }
    const frame = plan.frame ? experiment.frameTensor() : null;
    const packed = frame ? tf.concat([losses, frame]) : losses;
    if (frame) tf.dispose([losses, frame]);
    const values = (await this.read(packed)) as Float32Array;
    packed.dispose();

    const lossCount = computed.length;
    // Single steps the user asked for are not a continuous run.
    this.clock.settled(this.now(), this.stepCount - this.lastReadbackStep, !forced);
    this.lastReadbackStep = this.stepCount;
    this.recordRate();
    this.pendingSteps.push(this.stepCount);
    for (let i = 0; i < lossCount; i++) this.pendingValues.push(values[i]!);
    this.history.addLosses(this.stepCount, values.subarray(0, lossCount));
    if (frame) this.acceptFrame(experiment.decodeFrame(values.slice(lossCount), this.stepCount));
    if (this.measuring || (frame && this.qualityDue())) await this.qualityPart();

    const diverged = experiment.info.lossNames.filter(
      (_, i) => computed[i] && !Number.isFinite(values[i]!),
    );
    if (diverged.length > 0) {
      this.running = false;
      this.events.notice(
        'error',
        `Loss ${diverged.join(', ')} became NaN or infinite by step ${this.stepCount}. ` +
          'Training is paused; lower the learning rates and press Reset, or resume the last ' +
          'finite state from Saved runs.',
      );
      // The last update of a run must reach the page, whatever the rate limit says.
      this.postUpdate(true);
    }
  }

  /** Reads the live view alone, when the last frame is older than the current weights. */
  private async refreshFrame(): Promise<void> {
    const experiment = this.experiment;
    if (!experiment || this.frameStep === this.stepCount) return;
    const tensor = experiment.frameTensor();
    const values = (await this.read(tensor)) as Float32Array;
    tensor.dispose();
    this.acceptFrame(experiment.decodeFrame(values, this.stepCount));
  }

  /**
   * While training, separately measured quality figures (see Experiment.qualityTensor) are
   * refreshed every QUALITY_INTERVAL_MS, or less often when measuring them takes more than
   * QUALITY_SHARE of the time.
   */
  private qualityDue(): boolean {
    if (!this.experiment?.qualityTensor || this.qualityStep === this.stepCount) return false;
    const interval = Math.max(QUALITY_INTERVAL_MS, this.qualityMs / QUALITY_SHARE);
    return this.now() - this.lastQualityAt >= interval;
  }

  /**
   * One part of a quality measurement. While training, the parts of one measurement see weights
   * a few steps apart; the row is recorded at the step its last part saw.
   */
  private async qualityPart(): Promise<void> {
    const experiment = this.experiment;
    if (!experiment?.qualityTensor || !experiment.decodeQuality) return;
    const started = this.now();
    if (!this.measuring) this.qualityMs = 0;
    this.measuring = true;
    const tensor = experiment.qualityTensor();
    const values = (await this.read(tensor)) as Float32Array;
    tensor.dispose();
    const part = experiment.decodeQuality(values);
    this.qualityMs += this.now() - started;
    if (part === 'pending') return;
    this.measuring = false;
    if (part) this.acceptQuality(this.stepCount, part);
    this.qualityStep = this.stepCount;
    this.lastQualityAt = this.now();
  }

  private acceptQuality(step: number, values: readonly number[]): void {
    this.history.addQuality(step, values);
    this.pendingQuality = { step, values };
    this.qualityStep = step;
  }

  private acceptFrame(frame: Frame): void {
    if (frame.quality) this.acceptQuality(frame.step, frame.quality);
    this.pendingFrame = frame;
    this.frameStep = frame.step;
    this.lastFrameAt = this.now();
  }

  private recordRate(): void {
    const time = this.now();
    this.rateSamples.push({ time, step: this.stepCount });
    while (this.rateSamples.length > 2 && time - this.rateSamples[0]!.time > RATE_WINDOW_MS) {
      this.rateSamples.shift();
    }
  }

  private stepsPerSecond(): number {
    const first = this.rateSamples[0];
    const last = this.rateSamples[this.rateSamples.length - 1];
    if (!this.running || !first || !last || last.time <= first.time) return 0;
    return ((last.step - first.step) * 1000) / (last.time - first.time);
  }

  private postUpdate(forced: boolean): void {
    const now = this.now();
    if (!shouldPostUpdate(now - this.lastUpdateAt, forced)) return;
    this.lastUpdateAt = now;
    const posting = this.now();
    this.events.progress({
      step: this.stepCount,
      running: this.running,
      stepsPerSecond: this.stepsPerSecond(),
      elapsedMs: this.elapsedMs,
      points: {
        steps: Float64Array.from(this.pendingSteps),
        values: Float32Array.from(this.pendingValues),
      },
      frame: this.pendingFrame,
      quality: this.pendingQuality,
    });
    this.pendingSteps = [];
    this.pendingValues = [];
    this.pendingFrame = null;
    this.pendingQuality = null;
    this.loopStats.messagingMs += this.now() - posting;
  }
}
