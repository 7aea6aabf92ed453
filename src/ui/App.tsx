import { BackendPanel } from './components/BackendPanel';
import { Controls } from './components/Controls';
import { LiveChart } from './components/LiveChart';
import { Notices } from './components/Notices';
import { QualityPanel } from './components/QualityPanel';
import { ScatterView } from './components/ScatterView';
import { SettingsPanel } from './components/SettingsPanel';

export function App() {
  return (
    <div className="app">
      <header>
        <h1>GAN Playground</h1>
        <BackendPanel />
      </header>
      <Notices />
      <main>
        <aside>
          <Controls />
          <SettingsPanel />
        </aside>
        <section className="views">
          <ScatterView />
          <div className="charts">
            <LiveChart title="Losses" select={(s) => s.losses} testId="loss-chart" />
            <QualityPanel />
          </div>
        </section>
      </main>
    </div>
  );
}
