import { GridTitles } from '../../../ui/components/common/GridTitles';
import { ImageGridCanvas } from '../../../ui/components/common/ImageGridCanvas';
import { useAppStore } from '../../../ui/store/store';

const CELL = 56;
const NO_COLUMNS: readonly string[] = [];
const GAP = 4;

/** The reference's test grid: held-out faces, then G's translation to each target. */
export function TranslationGrid() {
  const columns = useAppStore((s) =>
    s.info?.kind === 'stargan' ? s.info.gridColumns : NO_COLUMNS,
  );
  const step = useAppStore((s) => (s.frame?.kind === 'stargan' ? s.frame.step : null));
  return (
    <figure className="translation-grid">
      <figcaption>Translations of held-out faces{step !== null && `, step ${step}`}</figcaption>
      <GridTitles columns={columns} cell={CELL} gap={GAP} />
      <ImageGridCanvas
        select={(s) => (s.frame?.kind === 'stargan' ? s.frame.grid : null)}
        selectStep={(s) => s.frame?.step ?? null}
        cell={CELL}
        gap={GAP}
        testId="translation-grid"
        label="Translation grid"
      />
    </figure>
  );
}
