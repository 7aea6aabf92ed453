import { LossChart } from '../../../ui/components/common/LiveChart';
import type { FamilyViews } from '../../views';
import { LatentExplorer } from './LatentExplorer';
import { ImageGanQuality, SampleGrid } from './SampleViews';
import { onExperiment, renderRequest } from './state';

function Views() {
  return (
    <section className="views stargan">
      <div className="column">
        <SampleGrid />
        <LatentExplorer />
      </div>
      <div className="charts">
        <LossChart />
        <ImageGanQuality />
      </div>
    </section>
  );
}

export const imageganViews: FamilyViews<'imagegan'> = { Views, onExperiment, renderRequest };
