import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../core/random';

/** A weight's name, shape and whether optimisers update it, known without building it. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: number[];
  readonly trainable: boolean;
}

/** True while `shapesOnly` runs a build: the Params made meanwhile hold no tensors. */
let recordingShapes = false;

/**
 * Runs `build` (a model's constructor) so that every Params it makes records names and shapes
 * only: no values are drawn and no tensor is made, so checking a weights file against the
 * model its settings describe costs nothing however large that model is. The layers built
 * meanwhile hold stubs that throw if ever applied; only `specs()` and `dispose()` are for use.
 */
export function shapesOnly<T>(build: () => T): T {
  if (recordingShapes) throw new Error('shapesOnly cannot nest');
  recordingShapes = true;
  try {
    return build();
  } finally {
    recordingShapes = false;
  }
}

/** What a shape-only Params hands its layers instead of a variable: any use throws. */
const UNBUILT = new Proxy(
  {},
  {
    get(_, key) {
      throw new Error(`A weight built for its shape only was used (${String(key)})`);
    },
  },
) as tf.Variable;

/**
 * The named, trainable weights of one network. Names ("G/fc0/W") are what weight files and
 * tests refer to; TF.js's own variable names stay automatic so two copies of a model can live
 * in one process (tests, EMA copies) without a name clash.
 */
export class Params {
  private readonly variables = new Map<string, tf.Variable>();
  private readonly shapes = new Map<string, ParamSpec>();
  /** Made inside `shapesOnly`: names and shapes, no tensors. */
  readonly shapeOnly = recordingShapes;

  constructor(
    readonly scope: string,
    private readonly rng: Rng,
  ) {}

  /** Uniform initialisation in [-bound, bound], drawn from this network's seeded stream. */
  uniform(name: string, shape: number[], bound: number): tf.Variable {
    const size = shape.reduce((a, b) => a * b, 1);
    return this.add(name, shape, () =>
      tf.tensor(this.rng.uniformArray(size, -bound, bound), shape),
    );
  }

  normal(name: string, shape: number[], mean: number, std: number): tf.Variable {
    const size = shape.reduce((a, b) => a * b, 1);
    return this.add(name, shape, () =>
      tf.tensor(
        this.rng.normalArray(size, std).map((v) => v + mean),
        shape,
      ),
    );
  }

  /** Every entry `value`: norm scales (1) and shifts (0). */
  constant(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, shape, () => tf.fill(shape, value));
  }

  /** A non-trainable variable (batch norm's running averages): saved, never optimised. */
  state(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, shape, () => tf.fill(shape, value), false);
  }

  private add(
    name: string,
    shape: number[],
    initial: () => tf.Tensor,
    trainable = true,
  ): tf.Variable {
    const fullName = `${this.scope}/${name}`;
    if (this.shapes.has(fullName)) throw new Error(`Duplicate parameter ${fullName}`);
    this.shapes.set(fullName, { name: fullName, shape: [...shape], trainable });
    if (this.shapeOnly) return UNBUILT;
    const value = initial();
    const variable = tf.variable(value, trainable);
    value.dispose();
    this.variables.set(fullName, variable);
    return variable;
  }

  /** Every weight's name, shape and trainability, in creation order (also when shape-only). */
  specs(): readonly ParamSpec[] {
    return [...this.shapes.values()];
  }

  /** The trainable variables, for optimisers; none when shape-only (nothing to update). */
  list(): tf.Variable[] {
    return [...this.variables.values()].filter((v) => v.trainable);
  }

  /** Every variable by name, trainable or not, for weight files. */
  named(): ReadonlyMap<string, tf.Variable> {
    this.requireBuilt();
    return this.variables;
  }

  private requireBuilt(): void {
    if (this.shapeOnly) throw new Error(`${this.scope} was built for its shapes only`);
  }

  dispose(): void {
    for (const variable of this.variables.values()) variable.dispose();
    this.variables.clear();
  }
}
