import { viewsOf } from '../families/views';
import { BackendPanel } from './components/BackendPanel';
import { Controls } from './components/Controls';
import { DatasetsPanel } from './components/data/DatasetsPanel';
import { ErrorBoundary } from './components/ErrorBoundary';
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
