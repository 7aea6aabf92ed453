import { LiveChart } from '../../../ui/components/common/LiveChart';
import type { FamilyViews } from '../../views';
import { Gan2dQuality } from './Quality';
import { ScatterView } from './ScatterView';

function Views() {
  return (
    <section className="views">
      <ScatterView />
      <div className="charts">
        <LiveChart title="Losses" select={(s) => s.losses} testId="loss-chart" />
        <Gan2dQuality />
      </div>
    </section>
  );
}

export const gan2dViews: FamilyViews<'gan2d'> = { Views };
