/**
 * How long things take here: at the speed measured on this device, the time to each result the
 * family has measured at these settings and to the end of the configured run, and a one-click
 * preset sized for slow devices.
 */
import { familyFor } from '../../families';
import { editModel, reset } from '../actions';
import { useAppStore } from '../store/store';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'a very long time';
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

const includes = (model: Record<string, unknown>, part: Record<string, unknown>) =>
  Object.entries(part).every(([key, value]) => model[key] === value);

export function Expectations() {
  const experiment = useAppStore((s) => s.experiment);
  const speed = useAppStore((s) => s.measuredSpeed);
  const step = useAppStore((s) => s.step);
  const ready = useAppStore((s) => s.ready);
  const family = familyFor(experiment);
  const model = experiment.model as unknown as Record<string, unknown>;
  const milestones = (family.milestones ?? []).filter((m) => includes(model, m.model));
  const runLength = family.runLength?.(model) ?? null;
  const quick = family.quick && !includes(model, family.quick.model) ? family.quick : null;
  const eta = (steps: number) =>
    speed ? ` — about ${formatDuration(Math.max(0, steps - step) / speed)} more here` : '';

  return (
    <div className="expectations" data-testid="expectations">
      {speed === null ? (
        <p className="hint">
          Press ▶ Play: the page measures this device's speed and estimates how long results take.
        </p>
      ) : (
        <p className="hint" data-testid="speed">
          This device trains this model at {speed.toFixed(speed < 10 ? 2 : 0)} steps/s.
        </p>
      )}
      {milestones.map((m) => (
        <p className="hint" key={m.what}>
          After {m.steps.toLocaleString('en')} steps: {m.what}
          {eta(m.steps)}.
        </p>
      ))}
      {runLength !== null && (
        <p className="hint">
          The configured run is {runLength.toLocaleString('en')} steps{eta(runLength)}.
        </p>
      )}
      {quick && (
        <button
          type="button"
          disabled={!ready}
          onClick={() => {
            editModel(quick.model);
            reset();
          }}
          data-testid="quick-preset"
          title="Smaller settings that train quickly on a slow device"
        >
          Quick preset: {quick.label}
        </button>
      )}
    </div>
  );
}
