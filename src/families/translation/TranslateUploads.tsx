import { GridTitles } from '../../ui/components/common/GridTitles';
import { ImageGridCanvas } from '../../ui/components/common/ImageGridCanvas';
import { ImageUploadButton } from '../../ui/components/common/ImageUpload';
import { renderVersions } from '../../ui/store/store';
import type { ImageGrid } from '../types';
import type { Domain, TranslationInfo } from './spec';
import { addUpload, MAX_UPLOADS, removeUpload, setFrom, uploads } from './uploads';

const CELL = 56;
const GAP = 4;
let uploaded = 0;

/** The rendered row of images as rows of `cols`, the same object for the same render. */
const asRows = new WeakMap<ImageGrid, ImageGrid>();
function rowsOf(grid: ImageGrid | null, cols: number, count: number): ImageGrid | null {
  // A render of an older request (other counts) is not shown until its successor arrives.
  if (!grid || grid.cols !== cols * count || count === 0) return null;
  let rows = asRows.get(grid);
  if (!rows) {
    rows = { rows: count, cols, size: grid.size, pixels: grid.pixels };
    asRows.set(grid, rows);
  }
  return rows;
}

/**
 * "Translate your own": the user's images (photos or line drawings, any size, cropped to a
 * centred square) through the current translator, live while it trains.
 */
export function TranslateUploads({ info }: { readonly info: TranslationInfo<string> }) {
  const list = uploads.use((s) => s.uploads);
  const columns = info.translateColumns;
  const oneWay = info.translatesFrom.length === 1;

  return (
    <section className="translate-uploads" aria-label="Translate your own images">
      <h3>Translate your own</h3>
      <p className="hint">
        Upload up to {MAX_UPLOADS} images (cropped to a centred square, scaled to {info.imageSize}{' '}
        px)
        {oneWay
          ? `: each is taken as a ${info.domainNames[info.translatesFrom[0]!]}, the side this model translates from.`
          : ', say which domain each is in, and see it translated and back again.'}{' '}
        They stay while you switch between the translation models at this size.
      </p>
      {list.length > 0 && (
        <figure className="translation-grid">
          <GridTitles columns={columns} cell={CELL} gap={GAP} />
          <ImageGridCanvas
            select={(s) => rowsOf(s.rendered, columns.length, list.length)}
            selectVersions={renderVersions}
            cell={CELL}
            gap={GAP}
            testId="translate-uploads"
            label="Your images and the translator's outputs"
          />
        </figure>
      )}
      <ul className="uploads">
        {list.map((upload) => (
          <li key={upload.key}>
            <span className="caption">{upload.caption}</span>
            {!oneWay && (
              <select
                aria-label={`Domain of ${upload.caption}`}
                value={upload.from}
                onChange={(e) => setFrom(upload.key, e.target.value as Domain)}
              >
                {(['A', 'B'] as const).map((d) => (
                  <option key={d} value={d}>
                    {info.domainNames[d]}
                  </option>
                ))}
              </select>
            )}
            <button type="button" onClick={() => removeUpload(upload.key)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <ImageUploadButton
        size={info.imageSize}
        testId="translate-upload"
        onImage={(pixels, caption) =>
          addUpload({
            key: `translate-${uploaded++}`,
            caption,
            from: info.translatesFrom[0]!,
            pixels,
          })
        }
      />
    </section>
  );
}
