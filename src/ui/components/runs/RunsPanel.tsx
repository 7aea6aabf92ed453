import { useEffect, useRef, useState } from 'react';
import { familyOf } from '../../../families';
import type { SavedRun } from '../../../io/records';
import { formatBytes, formatWhen } from '../../format';
import {
  copyShareLink,
  deleteSavedRun,
  exportCurrent,
  exportSavedRun,
  importFile,
  refreshRuns,
  renameSavedRun,
  resumeRun,
} from '../../runs';
import { useAppStore } from '../../store/store';

function TransferBar() {
  const transfer = useAppStore((s) => s.transfer);
  if (!transfer) return null;
  return (
    <div className="transfer" data-testid="transfer">
      <span>{transfer.label}</span>
      <progress
        value={transfer.total ? transfer.loaded : undefined}
        max={transfer.total ?? undefined}
      />
    </div>
  );
}

function RunRow({ run, current }: { run: SavedRun; current: boolean }) {
  const [name, setName] = useState(run.name);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setName(run.name), [run.name]);
  return (
    <li
      className={current ? 'run current' : 'run'}
      data-testid="saved-run"
      data-saved-name={run.name}
    >
      <input
        ref={input}
        aria-label="Run name"
        title="Click to rename; Enter to keep the new name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        onBlur={() => void renameSavedRun(run, name)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.currentTarget.blur();
        }}
      />
      <span className="run-facts">
        {run.model} · step <span data-testid="saved-run-step">{run.step}</span> ·{' '}
        {formatWhen(run.savedAt)} · {formatBytes(run.bytes)}
        {current ? ' · this run' : ''}
      </span>
      <span className="run-actions">
        {!current && (
          <button type="button" onClick={() => void resumeRun(run)}>
            Resume
          </button>
        )}
        <button type="button" onClick={() => input.current?.select()}>
          Rename
        </button>
        <button type="button" onClick={() => void exportSavedRun(run)}>
          Export
        </button>
        <button type="button" onClick={() => deleteSavedRun(run)} aria-label={`Delete ${run.name}`}>
          Delete
        </button>
      </span>
    </li>
  );
}

/** Export, import, share, and the runs kept in this browser. */
export function RunsPanel() {
  const ready = useAppStore((s) => s.ready);
  const busy = useAppStore((s) => s.transfer !== null);
  const allRuns = useAppStore((s) => s.savedRuns);
  const pendingDeletes = useAppStore((s) => s.pendingDeletes);
  const runs = allRuns.filter((run) => !pendingDeletes.includes(run.id));
  const storage = useAppStore((s) => s.storage);
  const currentId = useAppStore((s) => s.currentRun?.id);
  const fileInput = useRef<HTMLInputElement>(null);
  const [link, setLink] = useState('');
  const [weightsUrl, setWeightsUrl] = useState('');
  const torchReference = useAppStore((s) => familyOf(s.experiment.kind).torchReference);

  useEffect(() => {
    void refreshRuns();
  }, []);

  const used = runs.reduce((sum, run) => sum + run.bytes, 0);
  return (
    <section className="runs" aria-label="Weights and saved runs">
      <h2>Weights</h2>
      <div className="buttons">
        <button
          type="button"
          disabled={!ready || busy}
          onClick={() => void exportCurrent('generator')}
          title="G's weights and the settings: small, for sharing and playing"
          data-testid="export-generator"
        >
          Export generator
        </button>
        <button
          type="button"
          disabled={!ready || busy}
          onClick={() => void exportCurrent('full')}
          title="All networks, optimiser state and random state: resumes training exactly"
          data-testid="export-full"
        >
          Export training state
        </button>
        {torchReference && (
          <>
            <button
              type="button"
              disabled={!ready || busy}
              onClick={() => void exportCurrent('generator', 'safetensors')}
              title={`The generator as safetensors with the key names of ${torchReference}, to go on in PyTorch`}
              data-testid="export-torch-safetensors"
            >
              Export for PyTorch (.safetensors)
            </button>
            <button
              type="button"
              disabled={!ready || busy}
              onClick={() => void exportCurrent('generator', 'pt')}
              title={`The generator as torch.save writes it, with the key names of ${torchReference}: the reference's code loads it with load_state_dict(strict=True)`}
              data-testid="export-torch-pt"
            >
              Export for PyTorch (.pt)
            </button>
          </>
        )}
        <button
          type="button"
          disabled={!ready || busy}
          onClick={() => fileInput.current?.click()}
          title="A file exported here, or a PyTorch checkpoint (.pt, .pth, .ckpt, .safetensors) of a reference model; or drop it anywhere on the page"
        >
          Import…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".zip,application/zip,.pt,.pth,.ckpt,.safetensors"
          hidden
          data-testid="import-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importFile(file);
          }}
        />
      </div>
      <TransferBar />
      <div className="share">
        <label>
          Weights URL for the link (optional)
          <input
            type="url"
            placeholder="https://…/model.zip"
            value={weightsUrl}
            onChange={(e) => setWeightsUrl(e.target.value)}
          />
        </label>
        <button
          type="button"
          onClick={async () => setLink(await copyShareLink(weightsUrl.trim() || null))}
          data-testid="copy-link"
        >
          Copy link
        </button>
        {link && (
          <input
            readOnly
            value={link}
            aria-label="Share link"
            data-testid="share-link"
            onFocus={(e) => e.currentTarget.select()}
          />
        )}
      </div>
      <h2>Saved runs</h2>
      <p className="hint">
        The current run is saved in this browser every few seconds while it trains and when it
        pauses. {runs.length > 0 && `Saved runs use ${formatBytes(used)}`}
        {storage &&
          storage.quota > 0 &&
          ` (the site uses ${formatBytes(storage.usage)} of ${formatBytes(storage.quota)} allowed)`}
        {runs.length > 0 && '.'}
      </p>
      <ul className="saved-runs">
        {runs.map((run) => (
          <RunRow key={run.id} run={run} current={run.id === currentId} />
        ))}
      </ul>
    </section>
  );
}
