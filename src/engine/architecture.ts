/**
 * A model's networks as people read a diagram of them: each network's layers in order, with
 * their weights' shapes and counts, taken from the named weights every model registers
 * ("G/conv0/W"), so any family's networks are described without knowing its code.
 */
import type { ModelNetworks } from '../models/shared/networks';
import type { NetworkSummary } from '../protocol/messages';

export function describeNetworks(networks: ModelNetworks): NetworkSummary[] {
  return [...networks.generators, ...networks.others].map((params) => {
    const layers = new Map<string, { name: string; shape: number[] }[]>();
    let network = '';
    for (const [name, variable] of params.named()) {
      const parts = name.split('/');
      network ||= parts[0] ?? name;
      const layer = parts.slice(1, -1).join('/') || parts[0]!;
      const list = layers.get(layer) ?? [];
      list.push({ name: parts.at(-1)!, shape: [...variable.shape] });
      layers.set(layer, list);
    }
    const summaries = [...layers].map(([name, weights]) => ({
      name,
      weights,
      count: weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0),
    }));
    return {
      name: network,
      layers: summaries,
      parameters: summaries.reduce((sum, l) => sum + l.count, 0),
    };
  });
}
