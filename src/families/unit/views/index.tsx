import { useAppStore } from '../../../ui/store/store';
import { TranslateGrid, TranslationCharts, twoWayCaption } from '../../translation/TranslateGrid';
import { TranslateUploads } from '../../translation/TranslateUploads';
import { onTranslationExperiment, translateRequest } from '../../translation/uploads';
import type { FamilyViews } from '../../views';
import { UNIT_FIGURES } from '../spec';

const NO_COLUMNS: readonly string[] = [];

function Views() {
  const info = useAppStore((s) => (s.info?.kind === 'unit' ? s.info : null));
  return (
    <section className="views unit translation">
      <div className="column">
        <TranslateGrid
          columns={info?.gridColumns ?? NO_COLUMNS}
          select={(s) => (s.frame?.kind === 'unit' ? s.frame.grid : null)}
          caption={twoWayCaption(info, ' through the shared code')}
        />
        <TranslateGrid
          columns={info?.latentColumns ?? NO_COLUMNS}
          select={(s) => (s.frame?.kind === 'unit' ? s.frame.latent : null)}
          caption="The same images' shared code mu (A by E1, B by E2): 4 channels, each scaled to its own range, and the one code decoded by G1 and by G2"
          testId="latent-grid"
          label="Channels of each held-out face's shared latent code, and the code decoded by both generators"
        />
        {info && <TranslateUploads info={info} />}
      </div>
      <TranslationCharts kind="unit" figures={UNIT_FIGURES} baseline={info?.baseline ?? null} />
    </section>
  );
}

export const unitViews: FamilyViews<'unit'> = {
  Views,
  onExperiment: onTranslationExperiment,
  renderRequest: translateRequest,
};
