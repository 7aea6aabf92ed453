import { formatWhen } from '../../format';
import { resumeRun } from '../../runs';
import { useAppStore } from '../../store/store';

/** After a reload, crash or closed tab: the last saved run, one click from where it was. */
export function ResumeOffer() {
  const run = useAppStore((s) => s.resumeOffer);
  const ready = useAppStore((s) => s.ready);
  if (!run) return null;
  return (
    <div className="resume-offer" role="alert" data-testid="resume-offer">
      <span>
        Resume “{run.name}”? {run.model}, at step {run.step}, saved {formatWhen(run.savedAt)}.
      </span>
      <button
        type="button"
        className="primary"
        disabled={!ready}
        onClick={() => void resumeRun(run)}
        data-testid="resume"
      >
        Resume
      </button>
      <button type="button" onClick={() => useAppStore.setState({ resumeOffer: null })}>
        Start fresh
      </button>
    </div>
  );
}
