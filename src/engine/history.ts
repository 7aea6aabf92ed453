/**
 * The charts of the current run, kept in the worker so a saved run brings them back: loss rows
 * and quality rows by step, thinned to MAX_HISTORY_ROWS as the page's charts are thinned.
 */
import { EMPTY_HISTORY, MAX_HISTORY_ROWS, type RunHistory } from '../io/records';

class Rows {
  steps: number[] = [];
  values: (number | null)[] = [];

  constructor(private readonly width: number) {}

  add(step: number, row: ArrayLike<number>): void {
    // A step seen again (the frame redrawn after a load or a pause) replaces its row.
    if (this.steps.at(-1) === step) {
      this.steps.pop();
      this.values.length -= this.width;
    }
    this.steps.push(step);
    for (let k = 0; k < this.width; k++) {
      const v = row[k]!;
      this.values.push(Number.isFinite(v) ? v : null);
    }
    if (this.steps.length > MAX_HISTORY_ROWS) {
      this.steps = this.steps.filter((_, i) => i % 2 === 0);
      this.values = this.values.filter((_, i) => Math.floor(i / this.width) % 2 === 0);
    }
  }

  /** Takes rows from a file, if they fit this chart's width; false (and nothing taken) if not. */
  load(steps: readonly number[], values: readonly (number | null)[]): boolean {
    if (values.length !== steps.length * this.width) return false;
    this.steps = [...steps];
    this.values = [...values];
    return true;
  }
}

export class HistoryRecorder {
  private losses: Rows;
  private quality: Rows;

  constructor(lossWidth: number, qualityWidth: number, saved: RunHistory | null = null) {
    this.losses = new Rows(lossWidth);
    this.quality = new Rows(qualityWidth);
    // A history that does not fit these charts (a hand-edited file) is left out, not the run.
    if (
      saved &&
      !(
        this.losses.load(saved.lossSteps, saved.losses) &&
        this.quality.load(saved.qualitySteps, saved.quality)
      )
    ) {
      this.losses = new Rows(lossWidth);
      this.quality = new Rows(qualityWidth);
    }
  }

  addLosses(step: number, row: ArrayLike<number>): void {
    this.losses.add(step, row);
  }

  addQuality(step: number, row: ArrayLike<number>): void {
    this.quality.add(step, row);
  }

  record(elapsedMs: number): RunHistory {
    return {
      elapsedMs,
      lossSteps: [...this.losses.steps],
      losses: [...this.losses.values],
      qualitySteps: [...this.quality.steps],
      quality: [...this.quality.values],
    };
  }
}

export { EMPTY_HISTORY };
