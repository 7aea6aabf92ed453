import { editModel, reset } from '../../../ui/actions';
import { useAppStore } from '../../../ui/store/store';
import { TranslateGrid, TranslationCharts, twoWayCaption } from '../../translation/TranslateGrid';
import { TranslateUploads } from '../../translation/TranslateUploads';
import { onTranslationExperiment, translateRequest } from '../../translation/uploads';
import type { FamilyViews } from '../../views';
import { CYCLEGAN_DEFAULTS, CYCLEGAN_FIGURES } from '../spec';

const NO_COLUMNS: readonly string[] = [];

/** The image pools' fill and reuse rate, and the identity loss switched on or off. */
function PoolAndIdentity() {
  const pool = useAppStore((s) => (s.frame?.kind === 'cyclegan' ? s.frame.pool : null));
  const model = useAppStore((s) => (s.experiment.kind === 'cyclegan' ? s.experiment.model : null));
  if (!model) return null;
  const identityOn = model.lambdaIdt > 0;
  const toggleIdentity = () => {
    editModel({ lambdaIdt: identityOn ? 0 : CYCLEGAN_DEFAULTS.lambdaIdt });
    reset();
  };
  return (
    <section className="quality" aria-label="Image pool and identity loss">
      <dl className="stats">
        <dt title="Generated images each discriminator's pool holds (it fills first, then swaps)">
          Pool fill
        </dt>
        <dd data-testid="pool-fill">{pool ? `${pool.fill} / ${model.poolSize}` : '–'}</dd>
        <dt title="Share of the fakes shown to D so far that came from the pool rather than the latest G (0.5 once full, in the long run)">
          Pool reuse
        </dt>
        <dd data-testid="pool-reuse">{pool ? `${Math.round(pool.reuseRate * 100)}%` : '–'}</dd>
      </dl>
      <p className="hint">
        Identity loss (|G_AB(b) − b| + |G_BA(a) − a|, the Identity column):{' '}
        {identityOn ? 'on' : 'off'}.{' '}
        <button type="button" data-testid="toggle-identity" onClick={toggleIdentity}>
          {identityOn ? 'Turn off and restart' : 'Turn on and restart'}
        </button>
      </p>
    </section>
  );
}

function Views() {
  const columns = useAppStore((s) =>
    s.info?.kind === 'cyclegan' ? s.info.gridColumns : NO_COLUMNS,
  );
  const info = useAppStore((s) => (s.info?.kind === 'cyclegan' ? s.info : null));
  const baseline = info?.baseline ?? null;
  return (
    <section className="views cyclegan translation">
      <div className="column">
        <TranslateGrid
          columns={columns}
          select={(s) => (s.frame?.kind === 'cyclegan' ? s.frame.grid : null)}
          caption={twoWayCaption(info, '')}
        />
        <PoolAndIdentity />
        {info && <TranslateUploads info={info} />}
      </div>
      <TranslationCharts kind="cyclegan" figures={CYCLEGAN_FIGURES} baseline={baseline} />
    </section>
  );
}

export const cycleganViews: FamilyViews<'cyclegan'> = {
  Views,
  onExperiment: onTranslationExperiment,
  renderRequest: translateRequest,
};
