import { useAppStore } from '../../../ui/store/store';
import { TranslateGrid, TranslationCharts } from '../../translation/TranslateGrid';
import type { FamilyViews } from '../../views';

const NO_NAMES: readonly string[] = [];

function Views() {
  const info = useAppStore((s) => (s.info?.kind === 'pix2pix' ? s.info : null));
  return (
    <section className="views pix2pix translation">
      <div className="column">
        <TranslateGrid
          columns={info?.gridColumns ?? NO_NAMES}
          select={(s) => (s.frame?.kind === 'pix2pix' ? s.frame.grid : null)}
          caption="Held-out inputs, G's output and the true counterpart"
        />
      </div>
      <TranslationCharts
        names={info?.qualityNames ?? NO_NAMES}
        titles={[
          'Mean |G(x) − y| over 32 held-out pairs (pixels in [−1, 1]); the copy baseline is |x − y|',
        ]}
        baseline={info?.baseline ?? null}
      />
    </section>
  );
}

export const pix2pixViews: FamilyViews<'pix2pix'> = { Views };
