import { BackendPanel } from './components/BackendPanel';
import { Controls } from './components/Controls';
import { LiveChart } from './components/common/LiveChart';
import { DatasetsPanel } from './components/data/DatasetsPanel';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Gan2dQuality } from './components/gan2d/Gan2dQuality';
import { ScatterView } from './components/gan2d/ScatterView';
import { ImageGanQuality, SampleGrid } from './components/imagegan/ImageGanViews';
import { LatentExplorer } from './components/imagegan/LatentExplorer';
import { Notices } from './components/Notices';
import { DropZone } from './components/runs/DropZone';
import { ResumeOffer } from './components/runs/ResumeOffer';
import { RunsPanel } from './components/runs/RunsPanel';
import { SettingsPanel } from './components/SettingsPanel';
import { Playground } from './components/stargan/Playground';
import { StarGanQuality } from './components/stargan/StarGanQuality';
import { TranslationGrid } from './components/stargan/TranslationGrid';
import { useAppStore } from './store/store';

function Views() {
  const kind = useAppStore((s) => s.experiment.kind);
  const lossChart = <LiveChart title="Losses" select={(s) => s.losses} testId="loss-chart" />;
  if (kind === 'gan2d') {
    return (
      <section className="views">
        <ScatterView />
        <div className="charts">
          {lossChart}
          <Gan2dQuality />
        </div>
      </section>
    );
  }
  if (kind === 'imagegan') {
    return (
      <section className="views stargan">
        <div className="column">
          <SampleGrid />
          <LatentExplorer />
        </div>
        <div className="charts">
          {lossChart}
          <ImageGanQuality />
        </div>
      </section>
    );
  }
  return (
    <section className="views stargan">
      <div className="column">
        <TranslationGrid />
        <Playground />
      </div>
      <div className="charts">
        {lossChart}
        <StarGanQuality />
      </div>
    </section>
  );
}

export function App() {
  return (
    <div className="app">
      <header>
        <h1>GAN Playground</h1>
        <BackendPanel />
      </header>
      <Notices />
      <ResumeOffer />
      <DropZone />
      <main>
        <aside>
          <Controls />
          <SettingsPanel />
          <RunsPanel />
          <DatasetsPanel />
        </aside>
        <ErrorBoundary>
          <Views />
        </ErrorBoundary>
      </main>
    </div>
  );
}
