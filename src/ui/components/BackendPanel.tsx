import { BACKENDS, type BackendChoice } from '../../protocol/messages';
import { chooseBackend } from '../actions';
import { useAppStore } from '../store/store';

const LABELS: Record<BackendChoice, string> = {
  auto: 'Auto (best available)',
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  cpu: 'CPU',
};

export function BackendPanel() {
  const choice = useAppStore((s) => s.backendChoice);
  const backend = useAppStore((s) => s.backend);

  return (
    <div className="backend">
      <div>
        Backend:{' '}
        <strong data-testid="backend-name" data-backend={backend?.active ?? ''}>
          {backend ? LABELS[backend.active] : 'starting…'}
        </strong>
        {backend?.adapter && (
          <span className="adapter" data-testid="adapter">
            {' '}
            ({backend.adapter.vendor} · {backend.adapter.architecture}
            {backend.adapter.isFallbackAdapter ? ' · software fallback adapter' : ''})
          </span>
        )}
      </div>
      <label>
        Run on{' '}
        <select
          value={choice}
          onChange={(e) => chooseBackend(e.target.value as BackendChoice)}
          data-testid="backend-choice"
        >
          {(['auto', ...BACKENDS] as const).map((name) => (
            <option key={name} value={name}>
              {LABELS[name]}
            </option>
          ))}
        </select>
      </label>
      {backend?.untimed && (
        <div className="fallback" role="status" data-testid="untimed-notice">
          WebGPU runs on a software adapter here (no GPU was found), where it is often the slowest
          backend. Until you train, the page runs on the CPU; the first step times each backend and
          training moves to the fastest.
        </div>
      )}
      {backend?.timed && (
        <div className="fallback" role="status" data-testid="timed-notice">
          WebGPU runs on a software adapter here (no GPU was found), where it is often the slowest
          backend. Timed on {backend.timed[0]?.model}:{' '}
          {backend.timed
            .map((t) => `${LABELS[t.backend]} ${t.stepsPerSecond.toFixed(1)} steps/s`)
            .join(', ')}
          ; training runs on <strong>{LABELS[backend.active]}</strong>, the fastest. Choose “Run on”
          to force another.
        </div>
      )}
      {backend && backend.fallbacks.length > 0 && (
        <div className="fallback" role="status" data-testid="fallback-notice">
          {backend.fallbacks.map(({ backend: failed, reason, lost }) => (
            <div key={failed}>
              {lost
                ? `${LABELS[failed]} was lost and did not come back: ${reason}. Reloading the page may bring it back.`
                : `${LABELS[failed]} is unavailable: ${reason}.`}
            </div>
          ))}
          <div>
            Training runs on <strong>{LABELS[backend.active]}</strong> instead
            {backend.fallbacks.some((f) => f.backend === 'webgpu' && !f.lost) &&
              ' (for WebGPU, use a recent Chrome or Edge; on Linux start it with --enable-unsafe-webgpu)'}
            .
          </div>
        </div>
      )}
    </div>
  );
}
