/**
 * The model at a glance, for every family: how data flows between the networks (from the
 * family's spec) and each network layer by layer with its weights' shapes (from the worker).
 */
import { familyFor } from '../../families';
import { useAppStore } from '../store/store';

const shape = (dims: readonly number[]) => dims.join(' × ');

export function ModelOverview() {
  const experiment = useAppStore((s) => s.experiment);
  const architecture = useAppStore((s) => s.architecture);
  const flow = familyFor(experiment).flow(experiment.model as unknown as Record<string, unknown>);
  return (
    <details className="overview" data-testid="model-overview">
      <summary>Model overview: the networks, layer by layer</summary>
      <ul className="flow">
        {flow.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <div className="networks">
        {architecture.map((network) => (
          <section key={network.name} className="network" aria-label={`Network ${network.name}`}>
            <h3>
              {network.name} · {network.parameters.toLocaleString('en')} weights
            </h3>
            <ol>
              {network.layers.map((layer) => (
                <li key={layer.name}>
                  <span className="layer-name">{layer.name}</span>{' '}
                  <span className="layer-weights">
                    {layer.weights.map((w) => `${w.name} ${shape(w.shape)}`).join(', ')}
                  </span>
                </li>
              ))}
            </ol>
          </section>
        ))}
      </div>
      <p className="hint">
        Convolution weights read height × width × in × out channels; dense weights in × out.
      </p>
    </details>
  );
}
