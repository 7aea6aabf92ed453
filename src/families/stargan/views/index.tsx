import { LossChart } from '../../../ui/components/common/LiveChart';
import type { FamilyViews } from '../../views';
import { Playground } from './Playground';
import { StarGanQuality } from './Quality';
import { onExperiment, renderRequest } from './state';
import { TranslationGrid } from './TranslationGrid';

function Views() {
  return (
    <section className="views stargan">
      <div className="column">
        {/* The sliders first: they are what a first visit comes for. */}
        <Playground />
        <TranslationGrid />
      </div>
      <div className="charts">
        <LossChart />
        <StarGanQuality />
      </div>
    </section>
  );
}

export const starganViews: FamilyViews<'stargan'> = { Views, onExperiment, renderRequest };
