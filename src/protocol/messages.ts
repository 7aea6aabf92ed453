/**
 * The one contract between the UI thread and the training worker. Every message is a member of
 * a discriminated union; both sides switch on `type` exhaustively, so adding a message without
 * handling it is a type error. Large arrays travel as transferred buffers.
 */
import type { ExperimentConfig, ExperimentInfo, Frame, RenderRequest } from '../families';
import type { ImageGrid } from '../families/types';
import type { BundleFlavour, RunHistory, SavedRun } from '../io/records';

export type { ExperimentConfig, ExperimentInfo, Frame, ImageGrid, RenderRequest };

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
  /** It was running and its device was lost: the browser may refuse it until a reload. */
  readonly lost?: boolean;
}

export interface BackendInfo {
  readonly requested: BackendChoice;
  readonly active: BackendName;
  /** Present when WebGPU runs. */
  readonly adapter: AdapterSummary | null;
  /** Backends tried before the active one, and why each failed; empty when none failed. */
  readonly fallbacks: readonly BackendFailure[];
  /**
   * Under Auto on a software WebGPU adapter, the speeds measured on each backend that works
   * (fastest first), which chose the active one; null when no timing was needed.
   */
  readonly timed: readonly BackendTiming[] | null;
  /**
   * Under Auto on a software WebGPU adapter, before anything trained: the page runs on the CPU
   * (no shaders to compile, so a loaded model answers at once) until the first training step
   * times each backend (see engine/backend.ts preferFastestOnSoftware).
   */
  readonly untimed: boolean;
}

export interface BackendTiming {
  readonly backend: BackendName;
  readonly stepsPerSecond: number;
  /** What was timed: the current family at its small test size. */
  readonly model: string;
}

/** D only, G only, or both in turn, as GAN Lab's step buttons. */
export type StepPhase = 'D' | 'G' | 'both';

/** One network, layer by layer, for the model overview. */
export interface NetworkSummary {
  /** "G", "D", "F", … as the weights are named. */
  readonly name: string;
  readonly layers: readonly {
    readonly name: string;
    readonly weights: readonly { readonly name: string; readonly shape: readonly number[] }[];
    readonly count: number;
  }[];
  readonly parameters: number;
}

/** Settings that apply to a running experiment without a reset. */
export interface LiveSettings {
  /** Upper bound on training steps per second; 0 means as fast as the device goes. */
  readonly maxStepsPerSecond: number;
  /** Losses are read back from the device once every this many steps. */
  readonly metricsEvery: number;
}

export const DEFAULT_LIVE_SETTINGS: LiveSettings = { maxStepsPerSecond: 0, metricsEvery: 10 };

/** Chart points gathered since the previous update: one row of losses per step in `steps`. */
export interface LossPoints {
  readonly steps: Float64Array;
  /** Row-major, steps.length x lossNames.length; NaN where a step did not compute a term. */
  readonly values: Float32Array;
}

/**
 * What `npm run bench` measures inside the worker for one model on one backend. An iteration
 * is one of the reference's (n_critic D updates and a G update, however the family steps).
 */
export interface BenchmarkResult {
  readonly firstIterationMs: number;
  readonly medianMs: number;
  readonly p10Ms: number;
  readonly p90Ms: number;
  readonly iterationsPerSecond: number;
  readonly kernelsPerIteration: number;
  /** Convolution and matrix-product arithmetic of one iteration (see engine/benchmark.ts). */
  readonly flopsPerIteration: number;
  readonly gflopsPerSecond: number;
  /** GPU-to-CPU reads an iteration makes by itself (the timing read excluded). */
  readonly readsPerIteration: number;
  /** Tensors made from JavaScript values per iteration (data and noise batches). */
  readonly uploadsPerIteration: number;
  /**
   * The kernels that cost most in one profiled iteration: by time where kernel times were
   * asked for (and the backend reports them), else by dispatches, with `ms` null.
   */
  readonly topKernels: readonly {
    readonly name: string;
    readonly dispatches: number;
    readonly ms: number | null;
  }[];
  readonly memoryAfterWarmup: { readonly tensors: number; readonly bytes: number };
  readonly memoryGrowth: { readonly tensors: number; readonly bytes: number };
}

/** One of our WebGPU kernels on one shape, against TF.js's stock kernel and the definition. */
export interface KernelCheck {
  readonly kernel: string;
  readonly shape: string;
  /** Largest difference relative to the largest expected magnitude. */
  readonly vsStock: number;
  readonly vsDefinition: number;
  /** The stock kernel's own error, for scale. */
  readonly stockVsDefinition: number;
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

/** The quality row (info.qualityNames) measured at a step. */
export interface QualityPoint {
  readonly step: number;
  readonly values: readonly number[];
}

export type ToWorker =
  | {
      readonly type: 'init';
      readonly backend: BackendChoice;
      readonly experiment: ExperimentConfig;
      readonly live: LiveSettings;
      /**
       * False when a load follows at once (a first visit's trained model): the experiment
       * would be built only to be replaced. Its family still sizes the backend probe.
       */
      readonly build: boolean;
      /** Our WebGPU kernels (true) or TF.js's stock ones (`?kernels=stock`, for comparison). */
      readonly ownKernels: boolean;
    }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'step'; readonly phase: StepPhase }
  | { readonly type: 'reset'; readonly experiment: ExperimentConfig }
  | { readonly type: 'live'; readonly live: LiveSettings }
  | { readonly type: 'render'; readonly requestId: number; readonly request: RenderRequest }
  /**
   * An input a render request may name by key (a face the user uploaded), sent once and kept
   * by the worker, so moving a slider sends only the key.
   */
  | { readonly type: 'renderInput'; readonly key: string; readonly pixels: Float32Array }
  | {
      readonly type: 'benchmark';
      readonly requestId: number;
      readonly warmup: number;
      readonly iterations: number;
      /** Time each kernel of the profiled iteration (a device round trip each on WebGPU). */
      readonly kernelTimes: boolean;
    }
  | { readonly type: 'loopStats'; readonly requestId: number }
  | { readonly type: 'checkKernels'; readonly requestId: number }
  | {
      readonly type: 'export';
      readonly requestId: number;
      readonly flavour: BundleFlavour;
      /**
       * The generator as a PyTorch state_dict with the reference's key names (families with a
       * PyTorch map): safetensors or torch.save's zip format. Absent: our bundle.
       */
      readonly torch?: 'safetensors' | 'pt';
    }
  | {
      readonly type: 'load';
      readonly requestId: number;
      /** A bundle file (io/bundle), transferred. */
      readonly bytes: Uint8Array;
      /** The saved run this continues (its autosaves go on under the same id), or null. */
      readonly run: SavedRun | null;
      /**
       * The file's name, when it has one: a reference's file may say by its name which network
       * it holds (junyanz's latest_net_G_B.pth is CycleGAN's B -> A generator).
       */
      readonly fileName?: string;
    }
  /**
   * Saved runs are written by the worker alone (autosaves, renames, deletes, restores), one
   * write at a time, so a save in flight can never bring back a renamed or deleted run.
   */
  | {
      readonly type: 'renameRun';
      readonly requestId: number;
      readonly id: string;
      readonly name: string;
    }
  | { readonly type: 'deleteRun'; readonly requestId: number; readonly id: string }
  /** The page is being hidden or closed: autosave now rather than up to 5 s later. */
  | { readonly type: 'saveNow' }
  /**
   * Test hooks (sent only by a page opened with ?testHooks=1): lose the GPU device (WebGPU's
   * device.destroy()) or the WebGL context (WEBGL_lose_context), as a driver reset would;
   * `refuseAdapter`: and WebGPU's adapter stays away, as Chromium's after a GPU process crash.
   */
  | { readonly type: 'testLoseDevice'; readonly refuseAdapter?: boolean };

export type NoticeLevel = 'info' | 'warning' | 'error';

export type FromWorker =
  | { readonly type: 'backend'; readonly info: BackendInfo }
  | {
      readonly type: 'experiment';
      readonly info: ExperimentInfo;
      readonly config: ExperimentConfig;
      /** The step its weights are at (a loaded run's, or 0). */
      readonly step: number;
      /** Its networks, layer by layer, for the model overview. */
      readonly architecture: readonly NetworkSummary[];
      /** The charts so far: empty for a new run, a saved run's own when one is loaded. */
      readonly history: RunHistory;
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
      /** Quality figures measured since the last update (with a frame, or on their own cadence). */
      readonly quality: QualityPoint | null;
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
      readonly type: 'kernelsChecked';
      readonly requestId: number;
      readonly checks: readonly KernelCheck[];
    }
  | {
      readonly type: 'exported';
      readonly requestId: number;
      readonly bytes: Uint8Array;
      readonly fileName: string;
    }
  | {
      readonly type: 'loaded';
      readonly requestId: number;
      readonly step: number;
      /** A generator-only file leaves D (and the optimisers) fresh. */
      readonly flavour: BundleFlavour;
      /** For a PyTorch checkpoint: what it held, as the family read it. */
      readonly torch?: string;
    }
  /** A request with a reply and nothing to return (renameRun, deleteRun) succeeded. */
  | { readonly type: 'done'; readonly requestId: number }
  /** A request with a reply (export, load) did not succeed; `message` is for people. */
  | { readonly type: 'failed'; readonly requestId: number; readonly message: string }
  /** An autosave landed; the saved-runs list refreshes. */
  | { readonly type: 'saved'; readonly run: SavedRun };

/**
 * The buffers of a message that can be moved rather than copied to the other thread: every
 * typed array in a frame or a reply is made for the message and can go. Experiment info is
 * copied on purpose: the experiment keeps it, and announces it again after a failed reset.
 */
export function transferablesOf(message: FromWorker): Transferable[] {
  switch (message.type) {
    case 'progress':
      return [
        message.points.steps.buffer as ArrayBuffer,
        message.points.values.buffer as ArrayBuffer,
        ...(message.frame ? buffersIn(message.frame) : []),
      ];
    case 'rendered':
      return message.images ? [message.images.pixels.buffer as ArrayBuffer] : [];
    case 'exported':
      return [message.bytes.buffer as ArrayBuffer];
    case 'experiment':
    case 'loaded':
    case 'done':
    case 'failed':
    case 'saved':
    case 'backend':
    case 'notice':
    case 'benchmarked':
    case 'loopStats':
    case 'kernelsChecked':
      return [];
  }
}

/** Every distinct buffer under a plain object's typed arrays, whatever the family's layout. */
export function buffersIn(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    found.add(value.buffer as ArrayBuffer);
  } else if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) buffersIn(child, found);
  }
  return [...found];
}
