import { useMemo } from 'react';
import { STORED_SIZE } from '../../../data/importPlan';
import { readStoredImage } from '../../../data/userImages';
import { useAppStore } from '../../store/store';
import { FaceThumb } from '../common/FaceThumb';

const CELL = 64;

/** The first images of a data set as the models see them (cropped, 64 px), with labels. */
export function DatasetPreviewGrid() {
  const preview = useAppStore((s) => s.preview);
  const images = useMemo(
    () =>
      preview
        ? Array.from({ length: preview.images.count }, (_, i) =>
            readStoredImage(preview.images.pixels, i, STORED_SIZE),
          )
        : [],
    [preview],
  );
  if (!preview) return null;
  const { dataset } = preview;
  const caption = (labels: readonly number[]) =>
    dataset.labelNames
      .filter((_, k) => labels[k] === 1)
      .map((name) => name.replaceAll('_', ' '))
      .join(', ') || (dataset.labelNames.length > 0 ? 'none' : '');
  return (
    <figure className="dataset-preview" data-testid="dataset-preview">
      <figcaption>
        {dataset.name}: the first {preview.images.count} of {dataset.count} images
      </figcaption>
      <ul className="preview-grid">
        {images.map((pixels, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a preview's images never reorder.
          <li key={i}>
            <FaceThumb pixels={pixels} cell={CELL} />
            <span data-testid="preview-label">{caption(preview.images.labels[i]!)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
