import { pause, play, reset, setLive, step } from '../actions';
import { useAppStore } from '../store/store';
import { Expectations } from './Expectations';

const SPEEDS = [0, 100, 30, 10, 3, 1];

function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function Controls() {
  const ready = useAppStore((s) => s.ready);
  const running = useAppStore((s) => s.running);
  const pausing = useAppStore((s) => s.pausing);
  const stepCount = useAppStore((s) => s.step);
  const stepsPerSecond = useAppStore((s) => s.stepsPerSecond);
  const elapsedMs = useAppStore((s) => s.elapsedMs);
  const live = useAppStore((s) => s.live);
  const idle = ready && !running;

  return (
    <section className="controls" aria-label="Training controls" data-ready={ready}>
      <div className="buttons">
        <button
          type="button"
          className={ready && !running && stepCount === 0 ? 'primary attention' : 'primary'}
          disabled={!ready || pausing}
          onClick={running ? pause : play}
          data-testid="play-pause"
        >
          {pausing ? 'Pausing…' : running ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button type="button" disabled={!idle} onClick={() => step('both')} data-testid="step">
          Step
        </button>
        <button type="button" disabled={!idle} onClick={() => step('D')} title="Train D once">
          Step D
        </button>
        <button type="button" disabled={!idle} onClick={() => step('G')} title="Train G once">
          Step G
        </button>
        <button type="button" disabled={!ready} onClick={reset} data-testid="reset">
          ↺ Reset
        </button>
      </div>
      <dl className="stats">
        <dt>Status</dt>
        <dd data-testid="status" aria-live="polite">
          {!ready ? 'preparing…' : pausing ? 'pausing…' : running ? 'training' : 'paused'}
        </dd>
        <dt>Step</dt>
        <dd data-testid="step-count">{stepCount}</dd>
        <dt>Steps/s</dt>
        <dd data-testid="steps-per-second">{stepsPerSecond.toFixed(1)}</dd>
        <dt>Elapsed</dt>
        <dd>{formatElapsed(elapsedMs)}</dd>
      </dl>
      <Expectations />
      <label>
        Speed limit{' '}
        <select
          value={live.maxStepsPerSecond}
          onChange={(e) => setLive({ maxStepsPerSecond: Number(e.target.value) })}
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s === 0 ? 'none' : `${s} steps/s`}
            </option>
          ))}
        </select>
      </label>
      <label>
        Read losses every{' '}
        <input
          type="number"
          min={1}
          max={1000}
          value={live.metricsEvery}
          onChange={(e) => {
            const value = Math.round(Number(e.target.value));
            if (value >= 1 && value <= 1000) setLive({ metricsEvery: value });
          }}
        />{' '}
        steps
      </label>
    </section>
  );
}
