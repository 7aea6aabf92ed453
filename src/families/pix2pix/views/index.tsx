import { useAppStore } from '../../../ui/store/store';
import type { TranslationFigure } from '../../translation/spec';
import { TranslateGrid, TranslationCharts } from '../../translation/TranslateGrid';
import { TranslateUploads } from '../../translation/TranslateUploads';
import { onTranslationExperiment, translateRequest } from '../../translation/uploads';
import type { FamilyViews } from '../../views';
import { PIX2PIX_FIGURES } from '../spec';

const NO_NAMES: readonly string[] = [];
const NO_FIGURES: readonly TranslationFigure[] = [];

function Views() {
  const info = useAppStore((s) => (s.info?.kind === 'pix2pix' ? s.info : null));
  const direction = useAppStore((s) =>
    s.experiment.kind === 'pix2pix' ? s.experiment.model.direction : null,
  );
  return (
    <section className="views pix2pix translation">
      <div className="column">
        <TranslateGrid
          columns={info?.gridColumns ?? NO_NAMES}
          select={(s) => (s.frame?.kind === 'pix2pix' ? s.frame.grid : null)}
          caption="Held-out inputs, G's output and the true counterpart"
        />
        {info && <TranslateUploads info={info} />}
      </div>
      <TranslationCharts
        kind="pix2pix"
        figures={direction ? PIX2PIX_FIGURES[direction] : NO_FIGURES}
        baseline={info?.baseline ?? null}
      />
    </section>
  );
}

export const pix2pixViews: FamilyViews<'pix2pix'> = {
  Views,
  onExperiment: onTranslationExperiment,
  renderRequest: translateRequest,
};
