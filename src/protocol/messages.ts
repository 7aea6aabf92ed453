/**
 * The one contract between the UI thread and the training worker. Every message is a member of
 * a discriminated union; both sides switch on `type` exhaustively, so adding a message without
 * handling it is a type error. Large arrays travel as transferred buffers.
 */
import type { Gan2dConfig } from '../models/gan2d.config';

export const BACKENDS = ['webgpu', 'webgl', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';

export interface AdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

export interface BackendFailure {
  readonly backend: BackendName;
  readonly reason: string;
}

export interface BackendInfo {
  readonly requested: BackendChoice;
  readonly active: BackendName;
  /** Present when WebGPU runs. */
  readonly adapter: AdapterSummary | null;
  /** Backends tried before the active one, and why each failed; empty when none failed. */
  readonly fallbacks: readonly BackendFailure[];
}

/** D only, G only, or both in turn, as GAN Lab's step buttons. */
export type StepPhase = 'D' | 'G' | 'both';

export type ExperimentConfig = { readonly kind: 'gan2d'; readonly seed: number } & {
  readonly model: Gan2dConfig;
};

/** Settings that apply to a running experiment without a reset. */
export interface LiveSettings {
  /** Upper bound on training steps per second; 0 means as fast as the device goes. */
  readonly maxStepsPerSecond: number;
  /** Losses are read back from the device once every this many steps. */
  readonly metricsEvery: number;
}

export interface Quality2d {
  /** Jensen-Shannon divergence (bits) between real and generated 2D histograms. */
  readonly jsDivergence: number;
  /** For mixtures only (ring, grid). */
  readonly modesCovered: number | null;
  readonly modesTotal: number | null;
  readonly highQualityShare: number | null;
}

export interface Frame2d {
  readonly kind: 'gan2d';
  readonly step: number;
  /** Generated points from a fixed batch of z, interleaved x, y. */
  readonly fake: Float32Array;
  /** D's realness on a gridSize x gridSize lattice over the view window, row 0 at the top. */
  readonly realness: Float32Array;
  readonly gridSize: number;
  readonly quality: Quality2d;
}
export type Frame = Frame2d;

export interface ExperimentInfo2d {
  readonly kind: 'gan2d';
  readonly lossNames: readonly string[];
  /** A fixed real sample to draw under the generated points. */
  readonly real: Float32Array;
  readonly extent: number;
  readonly hasModes: boolean;
}
export type ExperimentInfo = ExperimentInfo2d;

/** Chart points gathered since the previous update: one row of losses per step in `steps`. */
export interface LossPoints {
  readonly steps: Float64Array;
  /** Row-major, steps.length x lossNames.length; NaN where a step did not compute a term. */
  readonly values: Float32Array;
}

export type ToWorker =
  | {
      readonly type: 'init';
      readonly backend: BackendChoice;
      readonly experiment: ExperimentConfig;
      readonly live: LiveSettings;
    }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'step'; readonly phase: StepPhase }
  | { readonly type: 'reset'; readonly experiment: ExperimentConfig }
  | { readonly type: 'live'; readonly live: LiveSettings };

export type NoticeLevel = 'info' | 'warning' | 'error';

export type FromWorker =
  | { readonly type: 'backend'; readonly info: BackendInfo }
  | { readonly type: 'experiment'; readonly info: ExperimentInfo; readonly seed: number }
  | {
      readonly type: 'progress';
      readonly step: number;
      readonly running: boolean;
      readonly stepsPerSecond: number;
      readonly elapsedMs: number;
      readonly points: LossPoints;
      readonly frame: Frame | null;
    }
  | { readonly type: 'notice'; readonly level: NoticeLevel; readonly message: string };

/** The buffers of a message that can be moved rather than copied to the other thread. */
export function transferablesOf(message: FromWorker): Transferable[] {
  switch (message.type) {
    case 'progress': {
      const buffers: Transferable[] = [
        message.points.steps.buffer as ArrayBuffer,
        message.points.values.buffer as ArrayBuffer,
      ];
      if (message.frame) {
        buffers.push(
          message.frame.fake.buffer as ArrayBuffer,
          message.frame.realness.buffer as ArrayBuffer,
        );
      }
      return buffers;
    }
    case 'experiment':
      return [message.info.real.buffer as ArrayBuffer];
    case 'backend':
    case 'notice':
      return [];
  }
}
