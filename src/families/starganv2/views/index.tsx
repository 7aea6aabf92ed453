import { LossChart } from '../../../ui/components/common/LiveChart';
import type { FamilyViews } from '../../views';
import { LiveGrids } from './Grids';
import { Playground } from './Playground';
import { StarGanV2Quality } from './Quality';
import { onExperiment, renderRequest } from './state';

function Views() {
  return (
    <section className="views stargan starganv2">
      <div className="column">
        <LiveGrids />
        <Playground />
      </div>
      <div className="charts">
        <LossChart />
        <StarGanV2Quality />
      </div>
    </section>
  );
}

export const starganv2Views: FamilyViews<'starganv2'> = { Views, onExperiment, renderRequest };
