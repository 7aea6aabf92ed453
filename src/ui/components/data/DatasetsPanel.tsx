import { useEffect, useRef, useState } from 'react';
import { MAX_IMAGES, MEMORY_BUDGET_BYTES, STORED_BYTES_PER_IMAGE } from '../../../data/importPlan';
import { FAMILIES } from '../../../families';
import type { DatasetSummary } from '../../../io/records';
import type { ScanReport } from '../../../protocol/datasets';
import {
  cancelImport,
  importScanned,
  refreshDatasets,
  removeDataset,
  scanUpload,
  showPreview,
  trainOn,
} from '../../datasets';
import { formatBytes } from '../../format';
import { useAppStore } from '../../store/store';
import { DatasetPreviewGrid } from './DatasetPreviewGrid';

/** The files of a folder picked with the directory picker, with their paths. */
function folderSource(files: FileList) {
  const list = [...files].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
  const name = list[0]?.path.split('/')[0] ?? 'images';
  return { kind: 'files' as const, name, files: list };
}

function ImportForm({ report }: { report: ScanReport }) {
  const importing = useAppStore((s) => s.importing !== null);
  const [name, setName] = useState(report.sourceName.replace(/\.zip$/i, ''));
  const [crop, setCrop] = useState(report.suggestedCrop ? String(report.suggestedCrop) : '');
  const [labels, setLabels] = useState<readonly string[]>(report.defaultLabels);
  const [grouped, setGrouped] = useState(report.defaultGroup.length > 0);
  const [limit, setLimit] = useState(Math.min(report.images, MAX_IMAGES));
  const tooMany = report.images > MAX_IMAGES;
  const group = report.defaultGroup.filter((g) => labels.includes(g));
  const cropSize = crop.trim() === '' ? null : Number(crop);
  const valid = report.images > 0 && limit >= 1 && (cropSize === null || cropSize >= 8);
  return (
    <form
      className="import-form"
      data-testid="import-form"
      onSubmit={(e) => {
        e.preventDefault();
        const ordered = report.labelNames.filter((l) => labels.includes(l));
        void importScanned({
          name: name.trim() || report.sourceName,
          cropSize,
          labels: ordered,
          group: grouped ? group : [],
          limit,
        });
      }}
    >
      <p data-testid="scan-summary">
        <strong>{report.images}</strong> images
        {report.labelFile ? ` labelled by ${report.labelFile.split('/').pop()}` : ''}
        {report.mode === 'domains' && !report.labelFile ? ', one domain per folder' : ''}
        {report.mode === 'unlabelled' ? ', unlabelled (for image GANs)' : ''}
        {report.skipped.length > 0 && `; ${report.skipped.length} files skipped`}.
      </p>
      {report.notes.map((note) => (
        <p key={note} className="hint">
          {note}
        </p>
      ))}
      {tooMany && (
        <p className="hint warning" data-testid="budget-warning">
          All {report.images} images would take{' '}
          {formatBytes(report.images * STORED_BYTES_PER_IMAGE)}, over the{' '}
          {formatBytes(MEMORY_BUDGET_BYTES)} budget: at most {MAX_IMAGES} are imported.
        </p>
      )}
      <label>
        Name <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Centre crop (px, empty = the short side){' '}
        <input
          type="number"
          min={8}
          value={crop}
          onChange={(e) => setCrop(e.target.value)}
          data-testid="crop-size"
        />
      </label>
      <label>
        Import at most{' '}
        <input
          type="number"
          min={1}
          max={Math.min(report.images, MAX_IMAGES)}
          value={limit}
          onChange={(e) => setLimit(Math.min(Number(e.target.value), MAX_IMAGES))}
        />{' '}
        images
      </label>
      {report.labelNames.length > 0 && (
        <fieldset className="label-picks">
          <legend>{report.mode === 'domains' ? 'Domains' : 'Attributes to train on'}</legend>
          {report.labelNames.map((label) => (
            <label key={label}>
              <input
                type="checkbox"
                checked={labels.includes(label)}
                disabled={report.mode === 'domains'}
                onChange={(e) =>
                  setLabels(
                    e.target.checked ? [...labels, label] : labels.filter((l) => l !== label),
                  )
                }
              />
              {label}
            </label>
          ))}
        </fieldset>
      )}
      {report.defaultGroup.length > 0 && (
        <label>
          <input type="checkbox" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} />
          {report.defaultGroup.join(', ')} are one of N (mutually exclusive)
        </label>
      )}
      <div className="buttons">
        <button
          type="submit"
          className="primary"
          disabled={!valid || importing}
          data-testid="import-images"
        >
          Import
        </button>
        <button type="button" onClick={cancelImport}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ImportProgress() {
  const importing = useAppStore((s) => s.importing);
  if (!importing) return null;
  return (
    <div className="transfer" data-testid="import-progress">
      <span>
        Decoding {importing.done} / {importing.total}: {importing.accepted} accepted,{' '}
        {importing.skipped} skipped
      </span>
      <progress value={importing.done} max={importing.total} />
    </div>
  );
}

function ImportReport() {
  const imported = useAppStore((s) => s.imported);
  if (!imported) return null;
  const { dataset, skipped } = imported;
  return (
    <div className="import-report" data-testid="import-report">
      <p>
        “{dataset.name}”: <span data-testid="accepted-count">{dataset.count}</span> images imported,{' '}
        <span data-testid="skipped-count">{skipped.length}</span> skipped.
      </p>
      {skipped.length > 0 && (
        <details open={skipped.length <= 10}>
          <summary>Skipped files</summary>
          <ul data-testid="skipped-files">
            {skipped.slice(0, 200).map((s) => (
              <li key={s.path}>
                {s.path}: {s.reason}
              </li>
            ))}
            {skipped.length > 200 && <li>and {skipped.length - 200} more</li>}
          </ul>
        </details>
      )}
    </div>
  );
}

function DatasetRow({ dataset }: { dataset: DatasetSummary }) {
  const ready = useAppStore((s) => s.ready);
  return (
    <li className="run" data-testid="saved-dataset">
      <strong>{dataset.name}</strong>
      <span className="run-facts">
        {dataset.count} images · {formatBytes(dataset.bytes)}
        {dataset.labelNames.length > 0 ? ` · ${dataset.labelNames.join(', ')}` : ' · unlabelled'}
      </span>
      <span className="run-actions">
        <button type="button" onClick={() => void showPreview(dataset)}>
          Preview
        </button>
        {FAMILIES.map((family) =>
          family.uploaded && (!family.uploaded.needsLabels || dataset.labelNames.length > 0) ? (
            <button
              type="button"
              key={family.kind}
              disabled={!ready}
              onClick={() => trainOn(dataset, family.kind)}
              data-testid={`train-${family.kind}`}
            >
              {family.uploaded.action}
            </button>
          ) : null,
        )}
        <button
          type="button"
          onClick={() => void removeDataset(dataset)}
          aria-label={`Delete ${dataset.name}`}
        >
          Delete
        </button>
      </span>
    </li>
  );
}

/** Upload image folders or zips, see what was imported, and train on them. */
export function DatasetsPanel() {
  const datasets = useAppStore((s) => s.datasets);
  const scan = useAppStore((s) => s.scan);
  const folderInput = useRef<HTMLInputElement>(null);
  const zipInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    void refreshDatasets();
  }, []);
  return (
    <section className="datasets" aria-label="Your data">
      <h2>Your data</h2>
      <p className="hint">
        Train on your own images: a folder (with list_attr_celeba.txt or a CSV of labels, one
        subfolder per domain, or just images) or a zip of one. PNG, JPEG and WebP; everything stays
        in this browser.
      </p>
      <div className="buttons">
        <button type="button" onClick={() => folderInput.current?.click()}>
          Upload folder…
        </button>
        <button type="button" onClick={() => zipInput.current?.click()}>
          Upload zip…
        </button>
        <input
          ref={folderInput}
          type="file"
          hidden
          multiple
          data-testid="upload-folder"
          {...{ webkitdirectory: '' }}
          onChange={(e) => {
            if (e.target.files?.length) void scanUpload(folderSource(e.target.files));
            e.target.value = '';
          }}
        />
        <input
          ref={zipInput}
          type="file"
          hidden
          accept=".zip,application/zip"
          data-testid="upload-zip"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void scanUpload({ kind: 'zip', file });
            e.target.value = '';
          }}
        />
      </div>
      {scan && <ImportForm key={scan.sourceName} report={scan} />}
      <ImportProgress />
      <ImportReport />
      <DatasetPreviewGrid />
      {datasets.length > 0 && (
        <ul className="saved-runs">
          {datasets.map((dataset) => (
            <DatasetRow key={dataset.id} dataset={dataset} />
          ))}
        </ul>
      )}
    </section>
  );
}
