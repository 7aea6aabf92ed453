import { isDeviceLoss } from '../engine/deviceLoss';
import { errorMessage } from '../engine/errors';
import type { Trainer } from '../engine/trainer';
import { describeModel, type ExperimentConfig, shortName } from '../families';
import { StorageFullError } from '../io/db';
import type { SavedRun } from '../io/records';
import { deleteRun, renameRun, saveRun } from '../io/runStore';
import type { FromWorker } from '../protocol/messages';

/** While training, the run is saved at most this often; pausing saves at once. */
export const AUTOSAVE_EVERY_MS = 5000;

/**
 * Keeps the current run's full training state in IndexedDB, so a reload, crash or closed tab
 * loses at most a few seconds. It is the one writer of saved runs: saves, renames and deletes
 * run one after another, so a save in flight cannot bring back a run renamed or deleted
 * meanwhile. A full quota stops autosaving for the run with one message, and the run itself
 * keeps training.
 */
export class Autosave {
  private run: SavedRun | null = null;
  private config: ExperimentConfig | null = null;
  private savedStep = 0;
  private lastSaveAt = Number.NEGATIVE_INFINITY;
  private saving = false;
  private stopped = false;
  /** The last queued write; every write starts after it. */
  private writes: Promise<unknown> = Promise.resolve();
  /**
   * The current run's latest state with every value finite, kept in memory: what a lost device
   * restarts from (see the worker's recovery), even when storage is full.
   */
  private finite: { readonly bytes: Uint8Array; readonly step: number } | null = null;

  constructor(
    private readonly trainer: Trainer,
    private readonly post: (message: FromWorker) => void,
  ) {}

  /** A new run (after a reset or an imported file), or the continuation of a saved one. */
  begin(config: ExperimentConfig, continued: SavedRun | null, step: number): SavedRun {
    const now = Date.now();
    this.config = config;
    this.run = continued ?? {
      id: crypto.randomUUID(),
      name: `${shortName(config)} · ${new Date(now).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`,
      model: describeModel(config),
      step,
      savedAt: now,
      bytes: 0,
    };
    this.savedStep = step;
    this.lastSaveAt = now;
    this.stopped = false;
    this.finite = null;
    return this.run;
  }

  /** The latest finite state of the current run in memory, if one was taken. */
  get lastFinite(): { readonly bytes: Uint8Array; readonly step: number } | null {
    return this.finite;
  }

  /**
   * The device was lost: a save waiting on it may never settle (a lost WebGL context answers
   * no read), so the next save does not wait for it.
   */
  abandonSave(): void {
    this.saving = false;
  }

  /** A state known to be finite (a file that just loaded): the run's first fallback. */
  remember(bytes: Uint8Array, step: number): void {
    this.finite = { bytes, step };
  }

  get current(): SavedRun | null {
    return this.run;
  }

  get name(): string {
    return this.run?.name ?? 'gan-playground';
  }

  private serial<T>(write: () => Promise<T>): Promise<T> {
    const next = this.writes.then(write, write);
    this.writes = next.catch(() => undefined);
    return next;
  }

  /** Renames a saved run; the current run's next saves keep the new name. */
  renameRun(id: string, name: string): Promise<void> {
    return this.serial(async () => {
      await renameRun(id, name);
      if (this.run?.id === id) this.run = { ...this.run, name };
    });
  }

  /** Deletes a saved run; if it is the current one, later saves go to a new record. */
  deleteRun(id: string): Promise<void> {
    return this.serial(async () => {
      await deleteRun(id);
      if (this.run?.id === id && this.config) this.begin(this.config, null, this.trainer.step);
    });
  }

  /**
   * Saves if the run moved on since the last save and `force` or enough time passed. A state
   * holding NaN or infinite values (a diverged run) is never saved: the saved run stays the
   * last finite one, which is what the resume offer brings back.
   */
  async maybeSave(force: boolean): Promise<void> {
    const run = this.run;
    const step = this.trainer.step;
    if (!run || this.stopped || this.saving || step === this.savedStep) return;
    if (!force && Date.now() - this.lastSaveAt < AUTOSAVE_EVERY_MS) return;
    this.saving = true;
    try {
      const { bytes, manifest, finite } = await this.trainer.snapshot('full', run.name);
      if (!finite || this.run?.id !== run.id) return;
      this.finite = { bytes, step: manifest.step };
      await this.serial(async () => {
        // Renamed meanwhile: keep the new name; deleted or replaced meanwhile: drop the save.
        const current = this.run;
        if (current?.id !== run.id) return;
        const saved = {
          ...current,
          step: manifest.step,
          savedAt: Date.now(),
          bytes: bytes.byteLength,
        };
        await saveRun(saved, bytes);
        this.run = saved;
        this.savedStep = manifest.step;
        this.post({ type: 'saved', run: saved });
      });
    } catch (error) {
      // A lost device is the worker's to handle (it rebuilds the run); saving goes on after.
      if (isDeviceLoss(error)) return;
      this.stopped = true;
      this.post({
        type: 'notice',
        level: 'warning',
        message:
          error instanceof StorageFullError
            ? 'Browser storage is full, so this run is no longer autosaved. Delete saved runs or export this one to keep it.'
            : `Autosave stopped for this run: ${errorMessage(error)}`,
      });
    } finally {
      this.lastSaveAt = Date.now();
      this.saving = false;
    }
  }
}
