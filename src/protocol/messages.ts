/**
 * The one contract between the UI thread and the training worker. Every message is a member of
 * a discriminated union; both sides switch on `type` exhaustively, so adding a message without
 * handling it is a type error. Large arrays travel as transferred buffers.
 */
import type { Gan2dConfig } from '../models/gan2d.config';
import type { ImageGanConfig } from '../models/imagegan.config';
import type { StarGanConfig } from '../models/stargan.config';

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

export type ExperimentConfig =
  | { readonly kind: 'gan2d'; readonly seed: number; readonly model: Gan2dConfig }
  | { readonly kind: 'stargan'; readonly seed: number; readonly model: StarGanConfig }
  | { readonly kind: 'imagegan'; readonly seed: number; readonly model: ImageGanConfig };

export type ExperimentKind = ExperimentConfig['kind'];

/** The uploaded data set a config trains on, if any. */
export function uploadedDatasetId(config: ExperimentConfig): string | null {
  if (config.kind === 'stargan' && config.model.data === 'uploaded') return config.model.datasetId;
  if (config.kind === 'imagegan' && config.model.dataset === 'uploaded') {
    return config.model.datasetId;
  }
  return null;
}

/** Settings that apply to a running experiment without a reset. */
export interface LiveSettings {
  /** Upper bound on training steps per second; 0 means as fast as the device goes. */
  readonly maxStepsPerSecond: number;
  /** Losses are read back from the device once every this many steps. */
  readonly metricsEvery: number;
}

export const DEFAULT_LIVE_SETTINGS: LiveSettings = { maxStepsPerSecond: 0, metricsEvery: 10 };

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
/** Images laid out row by row: rows x cols images of size x size RGBA pixels. */
export interface ImageGrid {
  readonly rows: number;
  readonly cols: number;
  readonly size: number;
  readonly pixels: Uint8ClampedArray;
}

export interface QualityStarGan {
  /** Share of target attribute groups (hair, Male, Young) the classifier reads in G(x, c). */
  readonly attributeAccuracy: number | null;
  /** Share of target expressions the classifier reads in G(x, c). */
  readonly expressionAccuracy: number | null;
  /** E|G(x, c_org) - x|, pixels in [-1, 1]: how much G changes a face asked to keep its labels. */
  readonly preservationL1: number;
}

export interface FrameStarGan {
  readonly kind: 'stargan';
  readonly step: number;
  /** The reference's test grid: column 0 the input, then one column per target. */
  readonly grid: ImageGrid;
  readonly quality: QualityStarGan | null;
}

export interface FrameImageGan {
  readonly kind: 'imagegan';
  readonly step: number;
  /** Samples from the run's fixed latents (the reference's fixed_noise). */
  readonly grid: ImageGrid;
  /** Fréchet distance on the face classifier's features, or null without the classifier. */
  readonly frechet: number | null;
  /** The distance between two real batches: what sample noise alone gives. */
  readonly frechetFloor: number | null;
}

export type Frame = Frame2d | FrameStarGan | FrameImageGan;

export interface ExperimentInfo2d {
  readonly kind: 'gan2d';
  readonly lossNames: readonly string[];
  /** A fixed real sample to draw under the generated points. */
  readonly real: Float32Array;
  readonly extent: number;
  readonly hasModes: boolean;
}
export type FaceDomain = 'celeba' | 'rafd';

export interface LabelDomainInfo {
  readonly name: FaceDomain;
  readonly title: string;
  readonly labels: readonly string[];
  /** Independent attributes (sliders) or one of N (a one-hot choice). */
  readonly kind: 'attributes' | 'oneOf';
  /** Labels that are one of N (hair colours; every label for 'oneOf'), by index. */
  readonly group: readonly number[];
}

export interface ExperimentInfoStarGan {
  readonly kind: 'stargan';
  readonly lossNames: readonly string[];
  readonly imageSize: number;
  readonly domains: readonly LabelDomainInfo[];
  readonly gridColumns: readonly string[];
  /** Held-out faces to pick inputs from: count x size x size x 3, values in [-1, 1]. */
  readonly preview: {
    readonly images: Float32Array;
    readonly count: number;
    readonly captions: readonly string[];
    /** Each preview face's labels, in its domain's label order. */
    readonly labels: readonly (readonly number[])[];
  };
  /** Held-out accuracy of the face classifier behind the quality figures, or null without it. */
  readonly classifierAccuracy: Readonly<Record<string, number>> | null;
}

export interface ExperimentInfoImageGan {
  readonly kind: 'imagegan';
  readonly lossNames: readonly string[];
  readonly imageSize: number;
  readonly zDim: number;
}

export type ExperimentInfo = ExperimentInfo2d | ExperimentInfoStarGan | ExperimentInfoImageGan;

/** Generator passes the UI asks for outside training (sliders). */
export interface TranslateRequest {
  readonly kind: 'translate';
  /** count x size x size x 3 input faces in [-1, 1]. */
  readonly inputs: Float32Array;
  readonly count: number;
  readonly domain: FaceDomain;
  /** Label values in the domain's order; fractional values are allowed (extrapolation). */
  readonly values: readonly number[];
}
/** Samples for the latent explorer: G at the given latents. */
export interface LatentRequest {
  readonly kind: 'latent';
  /** count x zDim values. */
  readonly z: Float32Array;
  readonly count: number;
}

export type RenderRequest = TranslateRequest | LatentRequest;

/** Chart points gathered since the previous update: one row of losses per step in `steps`. */
export interface LossPoints {
  readonly steps: Float64Array;
  /** Row-major, steps.length x lossNames.length; NaN where a step did not compute a term. */
  readonly values: Float32Array;
}

/** What `npm run bench` measures inside the worker for one model on one backend. */
export interface BenchmarkResult {
  readonly firstIterationMs: number;
  readonly medianMs: number;
  readonly p10Ms: number;
  readonly p90Ms: number;
  readonly iterationsPerSecond: number;
  readonly kernelsPerIteration: number;
  /** GPU-to-CPU reads an iteration makes by itself (the timing read excluded). */
  readonly readsPerIteration: number;
  /** Tensors made from JavaScript values per iteration (data and noise batches). */
  readonly uploadsPerIteration: number;
  /** The kernels that cost most in one profiled iteration (time where the backend reports it). */
  readonly topKernels: readonly {
    readonly name: string;
    readonly dispatches: number;
    readonly ms: number;
  }[];
  readonly memoryAfterWarmup: { readonly tensors: number; readonly bytes: number };
  readonly memoryGrowth: { readonly tensors: number; readonly bytes: number };
}

/** How the training loop spent its time and what it read back, since the last report. */
export interface LoopStats {
  readonly steps: number;
  /** Encoding the steps (the device may still be running them). */
  readonly computeMs: number;
  /** Waiting for read-backs, which includes waiting for the device to finish. */
  readonly readbackMs: number;
  /** Building and posting messages to the UI. */
  readonly messagingMs: number;
  /** Reads the loop meant to make (loss read-backs, frames, renders). */
  readonly plannedReads: number;
  /** Reads the backend actually served; more than planned means a hidden read. */
  readonly backendReads: number;
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
  | { readonly type: 'live'; readonly live: LiveSettings }
  | { readonly type: 'render'; readonly requestId: number; readonly request: RenderRequest }
  | {
      readonly type: 'benchmark';
      readonly requestId: number;
      readonly warmup: number;
      readonly iterations: number;
    }
  | { readonly type: 'loopStats'; readonly requestId: number }
  | {
      readonly type: 'export';
      readonly requestId: number;
      readonly flavour: BundleFlavour;
    }
  | {
      readonly type: 'load';
      readonly requestId: number;
      /** A bundle file (io/bundle), transferred. */
      readonly bytes: Uint8Array;
      /** The saved run this continues (its autosaves go on under the same id), or null. */
      readonly run: SavedRun | null;
    }
  /** The current run's new name, for its next autosaves. */
  | { readonly type: 'rename'; readonly name: string }
  /** The current run's saved record was deleted by the user. */
  | { readonly type: 'runDeleted' };

/** "generator": G's weights, to play with; "full": everything needed to resume exactly. */
export type BundleFlavour = 'generator' | 'full';

/** A run kept in the browser's storage (IndexedDB), as the saved-runs list shows it. */
export interface SavedRun {
  readonly id: string;
  readonly name: string;
  readonly model: string;
  readonly step: number;
  /** Milliseconds since the epoch. */
  readonly savedAt: number;
  readonly bytes: number;
}

/** An uploaded data set kept in the browser's storage (IndexedDB). */
export interface DatasetSummary {
  readonly id: string;
  readonly name: string;
  readonly count: number;
  /** Bytes stored (64 px images and labels). */
  readonly bytes: number;
  readonly createdAt: number;
  /** Attributes (independent 0/1), domains (exactly one of N) or none. */
  readonly labelMode: 'attributes' | 'domains' | 'unlabelled';
  readonly labelNames: readonly string[];
  /** Attributes that are one of N, like hair colours, by index into labelNames. */
  readonly group: readonly number[];
  /** Files of the upload that were not imported. */
  readonly skipped: number;
}

export type NoticeLevel = 'info' | 'warning' | 'error';

export type FromWorker =
  | { readonly type: 'backend'; readonly info: BackendInfo }
  | {
      readonly type: 'experiment';
      readonly info: ExperimentInfo;
      readonly config: ExperimentConfig;
      /** The saved run this experiment autosaves to. */
      readonly run: SavedRun;
    }
  | {
      readonly type: 'progress';
      readonly step: number;
      readonly running: boolean;
      readonly stepsPerSecond: number;
      readonly elapsedMs: number;
      readonly points: LossPoints;
      readonly frame: Frame | null;
    }
  | { readonly type: 'notice'; readonly level: NoticeLevel; readonly message: string }
  | {
      readonly type: 'rendered';
      readonly requestId: number;
      /** RGBA images, or null when the request failed (a notice says why). */
      readonly images: ImageGrid | null;
    }
  | { readonly type: 'benchmarked'; readonly requestId: number; readonly result: BenchmarkResult }
  | { readonly type: 'loopStats'; readonly requestId: number; readonly stats: LoopStats }
  | {
      readonly type: 'exported';
      readonly requestId: number;
      readonly bytes: Uint8Array;
      readonly fileName: string;
    }
  | { readonly type: 'loaded'; readonly requestId: number; readonly step: number }
  /** A request with a reply (export, load) did not succeed; `message` is for people. */
  | { readonly type: 'failed'; readonly requestId: number; readonly message: string }
  /** An autosave landed; the saved-runs list refreshes. */
  | { readonly type: 'saved'; readonly run: SavedRun };

/** The buffers of a message that can be moved rather than copied to the other thread. */
export function transferablesOf(message: FromWorker): Transferable[] {
  switch (message.type) {
    case 'progress': {
      const buffers: Transferable[] = [
        message.points.steps.buffer as ArrayBuffer,
        message.points.values.buffer as ArrayBuffer,
      ];
      return message.frame ? [...buffers, ...frameBuffers(message.frame)] : buffers;
    }
    case 'experiment':
      switch (message.info.kind) {
        case 'gan2d':
          return [message.info.real.buffer as ArrayBuffer];
        case 'stargan':
          return [message.info.preview.images.buffer as ArrayBuffer];
        case 'imagegan':
          return [];
      }
      return [];
    case 'rendered':
      return message.images ? [message.images.pixels.buffer as ArrayBuffer] : [];
    case 'exported':
      return [message.bytes.buffer as ArrayBuffer];
    case 'loaded':
    case 'failed':
    case 'saved':
    case 'backend':
    case 'notice':
    case 'benchmarked':
    case 'loopStats':
      return [];
  }
}

function frameBuffers(frame: Frame): Transferable[] {
  switch (frame.kind) {
    case 'gan2d':
      return [frame.fake.buffer as ArrayBuffer, frame.realness.buffer as ArrayBuffer];
    case 'stargan':
    case 'imagegan':
      return [frame.grid.pixels.buffer as ArrayBuffer];
  }
}
