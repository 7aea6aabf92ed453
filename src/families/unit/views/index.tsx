import { useAppStore } from '../../../ui/store/store';
import { TranslateGrid, TranslationCharts } from '../../translation/TranslateGrid';
import type { FamilyViews } from '../../views';

const NO_COLUMNS: readonly string[] = [];

function Views() {
  const info = useAppStore((s) => (s.info?.kind === 'unit' ? s.info : null));
  return (
    <section className="views unit translation">
      <div className="column">
        <TranslateGrid
          columns={info?.gridColumns ?? NO_COLUMNS}
          select={(s) => (s.frame?.kind === 'unit' ? s.frame.grid : null)}
          caption="Held-out photos (top) and drawings (bottom): translated through the shared code, back again, and the truth"
        />
        <TranslateGrid
          columns={info?.latentColumns ?? NO_COLUMNS}
          select={(s) => (s.frame?.kind === 'unit' ? s.frame.latent : null)}
          caption="The same faces' shared code mu (photos by E1, drawings by E2): 4 channels, each scaled to its own range, and the one code decoded by G1 and by G2"
          testId="latent-grid"
          label="Channels of each held-out face's shared latent code, and the code decoded by both generators"
        />
      </div>
      <TranslationCharts
        names={['A→B L1', 'B→A L1', 'Cycle L1']}
        titles={[
          'Mean |G2(E1(a)) − b| over 32 held-out photos and their true drawings (pixels in [−1, 1]; codes without noise)',
          'Mean |G1(E2(b)) − a| over the held-out drawings and their true photos',
          'Mean of |A→B→A − a| and |B→A→B − b| on the held-out faces',
        ]}
        baseline={info?.baseline ?? null}
      />
    </section>
  );
}

export const unitViews: FamilyViews<'unit'> = { Views };
