/**
 * A model's weights and optimiser state as named tensors, captured in one flat tensor (one
 * read from the device) and restored into a freshly built model of the same config.
 *
 * Names: network weights keep their Params names ("G/conv0/W"); optimiser slots are
 * "opt/<weight name>/<slot>" and counters "opt/<network>/<counter>", all float32.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelNetworks, OptimizerOf } from '../models/shared/networks';
import type { Params } from '../models/shared/params';

import type { BundleFlavour as Flavour } from './records';

export type { Flavour };

export interface WeightSpec {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: 'float32';
}

/** Per-weight slots in getWeights() order, for the optimisers makeOptimizer builds. */
const SLOTS: Readonly<Record<string, readonly string[]>> = {
  Adam: ['m', 'v'],
  RMSProp: ['rms', 'momentum'],
  SGD: [],
};

/**
 * TF.js's setWeights recomputes Adam's running beta powers as beta^(t+1); kept by
 * repeated multiplication they differ in the last bits, so they are saved and put back.
 */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

function slotsOf(optimizer: tf.Optimizer): readonly string[] {
  const slots = SLOTS[optimizer.getClassName()];
  if (!slots) throw new Error(`Saving ${optimizer.getClassName()} is not supported`);
  return slots;
}

function trainableNames(params: Params): string[] {
  return [...params.named()].filter(([, v]) => v.trainable).map(([name]) => name);
}

function networksOf(networks: ModelNetworks, flavour: Flavour): readonly Params[] {
  return flavour === 'generator'
    ? networks.generators
    : [...networks.generators, ...networks.others];
}

async function optimizerEntries(
  { optimizer, params }: OptimizerOf,
  scratch: tf.Tensor[],
): Promise<[string, tf.Tensor][]> {
  const [iterations, ...slotValues] = await optimizer.getWeights();
  const slots = slotsOf(optimizer);
  const names = trainableNames(params);
  const counter = tf.cast(iterations!.tensor, 'float32');
  scratch.push(iterations!.tensor, counter);
  const entries: [string, tf.Tensor][] = [[`opt/${params.scope}/iterations`, counter]];
  if (optimizer.getClassName() === 'Adam') {
    const adam = optimizer as unknown as AdamInternals;
    entries.push([`opt/${params.scope}/beta1_power`, adam.accBeta1]);
    entries.push([`opt/${params.scope}/beta2_power`, adam.accBeta2]);
  }
  slotValues.forEach(({ tensor }, i) => {
    const slot = slots[Math.floor(i / names.length)]!;
    entries.push([`opt/${names[i % names.length]}/${slot}`, tensor]);
  });
  return entries;
}

/** Everything a bundle of `flavour` holds: specs and one flat tensor the caller reads and owns. */
export async function captureWeights(
  networks: ModelNetworks,
  flavour: Flavour,
): Promise<{ specs: WeightSpec[]; flat: tf.Tensor1D }> {
  const entries: [string, tf.Tensor][] = networksOf(networks, flavour).flatMap((p) => [
    ...p.named(),
  ]);
  const scratch: tf.Tensor[] = [];
  if (flavour === 'full') {
    for (const o of networks.optimizers) entries.push(...(await optimizerEntries(o, scratch)));
  }
  const specs = entries.map(
    ([name, t]): WeightSpec => ({ name, shape: t.shape, dtype: 'float32' }),
  );
  const flat = tf.tidy(() =>
    tf.concat(entries.map(([, t]) => tf.reshape(tf.cast(t, 'float32'), [-1]))),
  ) as tf.Tensor1D;
  tf.dispose(scratch);
  return { specs, flat };
}

/**
 * The specs a bundle must hold to fit `networks`, in capture order. An optimiser that has not
 * stepped yet has no slots; `stepped` says which ones the file claims have. Reads shapes only,
 * so `networks` may be built for their shapes alone (see Params' shapesOnly).
 */
export function expectedSpecs(
  networks: ModelNetworks,
  flavour: Flavour,
  stepped: (scope: string) => boolean,
): WeightSpec[] {
  const specs: WeightSpec[] = networksOf(networks, flavour).flatMap((p) =>
    p.specs().map(({ name, shape }) => ({ name, shape, dtype: 'float32' as const })),
  );
  if (flavour === 'generator') return specs;
  for (const { optimizer, params } of networks.optimizers) {
    const scope = params.scope;
    specs.push({ name: `opt/${scope}/iterations`, shape: [], dtype: 'float32' });
    if (optimizer.getClassName() === 'Adam') {
      specs.push({ name: `opt/${scope}/beta1_power`, shape: [], dtype: 'float32' });
      specs.push({ name: `opt/${scope}/beta2_power`, shape: [], dtype: 'float32' });
    }
    if (!stepped(scope)) continue;
    const trainable = params.specs().filter((spec) => spec.trainable);
    for (const slot of slotsOf(optimizer)) {
      for (const { name, shape } of trainable) {
        specs.push({ name: `opt/${name}/${slot}`, shape, dtype: 'float32' });
      }
    }
  }
  return specs;
}

/**
 * Puts saved values into a model built from the same config. Call only after the specs were
 * checked against expectedSpecs: this assumes every name is present with its shape.
 */
export async function restoreWeights(
  networks: ModelNetworks,
  flavour: Flavour,
  values: ReadonlyMap<string, tf.Tensor>,
): Promise<void> {
  const value = (name: string) => {
    const tensor = values.get(name);
    if (!tensor) throw new Error(`Weights missing: ${name}`);
    return tensor;
  };
  for (const params of networksOf(networks, flavour)) {
    for (const [name, variable] of params.named()) variable.assign(value(name));
  }
  if (flavour === 'generator') return;
  for (const { optimizer, params } of networks.optimizers) {
    const scope = params.scope;
    const iterations = tf.tidy(() => tf.cast(value(`opt/${scope}/iterations`), 'int32'));
    const names = trainableNames(params);
    const stepped = values.has(`opt/${names[0]}/${slotsOf(optimizer)[0]}`);
    const slots = stepped
      ? slotsOf(optimizer).flatMap((slot) =>
          names.map((name) => ({ name: `${name}/${slot}`, tensor: value(`opt/${name}/${slot}`) })),
        )
      : [];
    await optimizer.setWeights([{ name: 'iter', tensor: iterations }, ...slots]);
    iterations.dispose();
    if (optimizer.getClassName() === 'Adam') {
      const adam = optimizer as unknown as AdamInternals;
      adam.accBeta1.assign(value(`opt/${scope}/beta1_power`));
      adam.accBeta2.assign(value(`opt/${scope}/beta2_power`));
    }
  }
}
