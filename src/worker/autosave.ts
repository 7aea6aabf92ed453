import { errorMessage } from '../engine/errors';
import type { Trainer } from '../engine/trainer';
import { StorageFullError } from '../io/db';
import { modelName, modelTitle, saveRun } from '../io/runStore';
import type { ExperimentConfig, FromWorker, SavedRun } from '../protocol/messages';

/** While training, the run is saved at most this often; pausing saves at once. */
export const AUTOSAVE_EVERY_MS = 5000;

/**
 * Keeps the current run's full training state in IndexedDB, so a reload, crash or closed tab
 * loses at most a few seconds. One save at a time; a full quota stops autosaving for the run
 * with one message, and the run itself keeps training.
 */
export class Autosave {
  private run: SavedRun | null = null;
  private config: ExperimentConfig | null = null;
  private savedStep = 0;
  private lastSaveAt = Number.NEGATIVE_INFINITY;
  private saving = false;
  private stopped = false;

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
      name: `${modelName(config)} · ${new Date(now).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`,
      model: modelTitle(config),
      step,
      savedAt: now,
      bytes: 0,
    };
    this.savedStep = step;
    this.lastSaveAt = now;
    this.stopped = false;
    return this.run;
  }

  get current(): SavedRun | null {
    return this.run;
  }

  get name(): string {
    return this.run?.name ?? 'gan-playground';
  }

  /** The run's record was deleted: later saves go to a new record, not back into the old. */
  detach(): void {
    if (this.config) this.begin(this.config, null, this.trainer.step);
  }

  rename(name: string): void {
    if (this.run) this.run = { ...this.run, name };
  }

  /** Saves if the run moved on since the last save and `force` or enough time passed. */
  async maybeSave(force: boolean): Promise<void> {
    const run = this.run;
    const step = this.trainer.step;
    if (!run || this.stopped || this.saving || step === this.savedStep) return;
    if (!force && Date.now() - this.lastSaveAt < AUTOSAVE_EVERY_MS) return;
    this.saving = true;
    try {
      const { bytes, manifest } = await this.trainer.snapshot('full', run.name);
      if (this.run?.id !== run.id) return;
      const saved = { ...run, step: manifest.step, savedAt: Date.now(), bytes: bytes.byteLength };
      await saveRun(saved, bytes);
      this.run = saved;
      this.savedStep = manifest.step;
      this.post({ type: 'saved', run: saved });
    } catch (error) {
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
