import { viewsOf } from '../families/views';
import { BackendPanel } from './components/BackendPanel';
import { Controls } from './components/Controls';
import { DatasetsPanel } from './components/data/DatasetsPanel';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Intro } from './components/Intro';
import { ModelOverview } from './components/ModelOverview';
import { Notices } from './components/Notices';
import { DropZone } from './components/runs/DropZone';
import { ResumeOffer } from './components/runs/ResumeOffer';
import { RunsPanel } from './components/runs/RunsPanel';
import { SettingsPanel } from './components/SettingsPanel';
import { useAppStore } from './store/store';

/** The running family's own views. */
function Views() {
  const kind = useAppStore((s) => s.experiment.kind);
  const { Views: FamilyViews } = viewsOf(kind);
  return <FamilyViews />;
}

export function App() {
  return (
    <div className="app">
      <header>
        <h1>GAN Playground</h1>
        <BackendPanel />
      </header>
      <Intro />
      <Notices />
      <ResumeOffer />
      <DropZone />
      <main>
        <aside className="side-controls">
          <Controls />
        </aside>
        <div className="family-views">
          <ErrorBoundary>
            <Views />
          </ErrorBoundary>
          <ModelOverview />
        </div>
        <aside className="side-settings">
          <SettingsPanel />
          <RunsPanel />
          <DatasetsPanel />
        </aside>
      </main>
    </div>
  );
}
