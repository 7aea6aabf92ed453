import { LossChart } from '../../../ui/components/common/LiveChart';
import type { FamilyViews } from '../../views';
import { Gan2dQuality } from './Quality';
import { ScatterView } from './ScatterView';

function Views() {
  return (
    <section className="views">
      <ScatterView />
      <div className="charts">
        <LossChart />
        <Gan2dQuality />
      </div>
    </section>
  );
}

export const gan2dViews: FamilyViews<'gan2d'> = { Views };
