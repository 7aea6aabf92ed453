import { QualityChart } from '../../../ui/components/common/LiveChart';
import { useAppStore } from '../../../ui/store/store';

const percent = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? '–' : `${Math.round(v * 100)}%`;
const fixed = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(2));

/** Per stage: the Fréchet distance to held-out faces, and how often the caption is obeyed. */
export function StackGanQuality() {
  // The quality row: [Fréchet per stage, then caption agreement per stage in the text mode].
  const quality = useAppStore((s) => s.latestQuality);
  const info = useAppStore((s) => (s.info?.kind === 'stackgan' ? s.info : null));
  if (!info) return null;
  const { sizes, mode, classifierAccuracy } = info;
  return (
    <section className="quality" aria-label="Quality per stage">
      {classifierAccuracy === null ? (
        <p className="hint">The face classifier is not loaded, so there are no quality figures.</p>
      ) : (
        <table className="stage-quality" data-testid="stackgan-quality">
          <thead>
            <tr>
              <th>Stage</th>
              <th title="Fréchet distance between Gaussians fitted to the face classifier's 64 features of 128 held-out real faces and 128 samples for their captions (lower is better)">
                Fréchet
              </th>
              {mode === 'text' && (
                <th title="Share of hair colour, gender and age that the classifier reads as the caption asked, over the 128 held-out captions">
                  Caption agreement
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {sizes.map((size, i) => (
              <tr key={size}>
                <td>{size} px</td>
                <td data-testid={`frechet-${size}`}>{fixed(quality?.[i])}</td>
                {mode === 'text' && (
                  <td data-testid={`agreement-${size}`}>{percent(quality?.[sizes.length + i])}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">
        Features of our small face classifier, not Inception: comparable between runs here only.
        Real faces are judged at each stage's size; chance agreement is about 44%.
      </p>
      <QualityChart title="Quality per stage" />
    </section>
  );
}
