import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../core/random';

/**
 * The named, trainable weights of one network. Names ("G/fc0/W") are what weight files and
 * tests refer to; TF.js's own variable names stay automatic so two copies of a model can live
 * in one process (tests, EMA copies) without a name clash.
 */
export class Params {
  private readonly variables = new Map<string, tf.Variable>();

  constructor(
    readonly scope: string,
    private readonly rng: Rng,
  ) {}

  /** Uniform initialisation in [-bound, bound], drawn from this network's seeded stream. */
  uniform(name: string, shape: number[], bound: number): tf.Variable {
    const size = shape.reduce((a, b) => a * b, 1);
    return this.add(name, tf.tensor(this.rng.uniformArray(size, -bound, bound), shape));
  }

  normal(name: string, shape: number[], mean: number, std: number): tf.Variable {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = this.rng.normalArray(size, std).map((v) => v + mean);
    return this.add(name, tf.tensor(values, shape));
  }

  /** Every entry `value`: norm scales (1) and shifts (0). */
  constant(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, tf.fill(shape, value));
  }

  /** A non-trainable variable (batch norm's running averages): saved, never optimised. */
  state(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, tf.fill(shape, value), false);
  }

  private add(name: string, initial: tf.Tensor, trainable = true): tf.Variable {
    const fullName = `${this.scope}/${name}`;
    if (this.variables.has(fullName)) throw new Error(`Duplicate parameter ${fullName}`);
    const variable = tf.variable(initial, trainable);
    initial.dispose();
    this.variables.set(fullName, variable);
    return variable;
  }

  /** The trainable variables, for optimisers. */
  list(): tf.Variable[] {
    return [...this.variables.values()].filter((v) => v.trainable);
  }

  /** Every variable by name, trainable or not, for weight files. */
  named(): ReadonlyMap<string, tf.Variable> {
    return this.variables;
  }

  dispose(): void {
    for (const variable of this.variables.values()) variable.dispose();
    this.variables.clear();
  }
}
