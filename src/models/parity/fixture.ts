/**
 * Reading the parity fixtures that scripts/reference/make_fixtures.py writes from the PyTorch
 * twins (scripts/reference/twins.py), and comparing our tensors with them.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { Params } from '../shared/params';

/** A float32 tensor as the fixtures store it: its shape and little-endian bytes in base64. */
export interface Encoded {
  readonly shape: number[];
  readonly b64: string;
}

export type EncodedMap = Readonly<Record<string, Encoded>>;

/** One optimiser step of the reference iteration, replayed from `weights` plus `start`. */
export interface StepRecord {
  /** Variables whose values differ from the fixture's initial weights when the step begins. */
  readonly start: EncodedMap;
  /** Every loss term, in our chart order. */
  readonly losses: readonly number[];
  /** Every variable the step changes, with its value afterwards. */
  readonly after: EncodedMap;
}

export function readFixture<T>(family: string): T {
  const url = new URL(`./fixtures/${family}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

export function decode(e: Encoded): tf.Tensor {
  const bytes = Buffer.from(e.b64, 'base64');
  // Copy into a fresh, aligned buffer: Buffer's pool offset need not be a multiple of 4.
  const values = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(values.buffer).set(bytes);
  return tf.tensor(values, e.shape);
}

/** Every variable of the networks by its name ("G/in/W"), trainable or not. */
export function variablesOf(...params: Params[]): Map<string, tf.Variable> {
  return new Map(params.flatMap((p) => [...p.named()]));
}

/** Assigns fixture values to variables of the same name and shape; unknown names throw. */
export function assign(variables: ReadonlyMap<string, tf.Variable>, values: EncodedMap): void {
  for (const [name, encoded] of Object.entries(values)) {
    const variable = variables.get(name);
    if (!variable) throw new Error(`The fixture has ${name}, the model has no such variable`);
    expect(encoded.shape, name).toEqual(variable.shape);
    tf.tidy(() => variable.assign(decode(encoded)));
  }
}

/** Largest |a - b| over all entries (shapes must hold the same number of values). */
export function maxAbsDiff(a: tf.Tensor, b: Encoded | tf.Tensor): number {
  return tf.tidy(() => {
    const other = b instanceof tf.Tensor ? b : decode(b);
    expect(a.size).toBe(other.size);
    return tf.max(tf.abs(tf.sub(tf.reshape(a, [-1]), tf.reshape(other, [-1])))).dataSync()[0]!;
  });
}

/** Largest |ours - reference| over the loss terms. */
export async function lossError(ours: tf.Tensor1D, reference: readonly number[]): Promise<number> {
  const values = Array.from(await ours.data());
  expect(values.length).toBe(reference.length);
  return Math.max(...values.map((v, i) => Math.abs(v - reference[i]!)));
}

export interface StepErrors {
  /**
   * Largest error of a trained weight after the step, beyond float32's rounding of the weight
   * itself (2^-23 |w|, which at lr 5e-5 and |w| near 1 is already 1e-3 lr).
   */
  readonly weights: number;
  /** The same error with no allowance for rounding. */
  readonly weightsRaw: number;
  /**
   * Largest step of a weight whose gradient is zero in the reference (its value did not move
   * in float64; e.g. a bias followed by batch norm). Adam and RMSprop divide the gradient by
   * its own magnitude plus 1e-8, so float32's rounding noise in such a gradient (1e-10) moves
   * the weight by up to a few percent of lr, in PyTorch's float32 code as in ours.
   */
  readonly noise: number;
  /** How many weights (entries) those are. */
  readonly noiseCount: number;
  /** Largest error of a batch norm running average after the step. */
  readonly running: number;
  /** Largest change of a variable of the network the step does not train. */
  readonly untrained: number;
}

/**
 * Compares every variable with the reference after a step: those in `after` with their new
 * values (through `expected`, which may adjust them), the rest with their values before the
 * step, except the names `ignore` accepts (documented departures). `trained` says which
 * variables the step's optimiser updates.
 */
export function compareAfterStep(
  variables: ReadonlyMap<string, tf.Variable>,
  before: ReadonlyMap<string, tf.Tensor>,
  after: EncodedMap,
  options: {
    trained: (name: string) => boolean;
    ignore?: (name: string) => boolean;
    expected?: (name: string, value: tf.Tensor) => tf.Tensor;
  },
): StepErrors {
  const errors = {
    weights: 0,
    weightsRaw: 0,
    noise: 0,
    noiseCount: 0,
    running: 0,
    untrained: 0,
  };
  const max = (t: tf.Tensor) => (t.size === 0 ? 0 : tf.max(t).dataSync()[0]!);
  for (const [name, variable] of variables) {
    if (options.ignore?.(name)) continue;
    tf.tidy(() => {
      const start = before.get(name)!;
      const encoded = after[name];
      const raw = encoded ? decode(encoded) : start;
      const reference = encoded && options.expected ? options.expected(name, raw) : raw;
      const error = tf.reshape(tf.abs(tf.sub(variable, reference)), [-1]);
      if (name.includes('running')) {
        errors.running = Math.max(errors.running, max(error));
      } else if (!options.trained(name)) {
        errors.untrained = Math.max(errors.untrained, max(error));
      } else {
        const still = tf.reshape(tf.equal(raw, start), [-1]);
        const moved = tf.logicalNot(still);
        const rounding = tf.mul(2 ** -23, tf.reshape(tf.abs(reference), [-1]));
        const excess = tf.relu(tf.sub(error, rounding));
        const zeros = tf.zerosLike(error);
        errors.weights = Math.max(errors.weights, max(tf.where(moved, excess, zeros)));
        errors.weightsRaw = Math.max(errors.weightsRaw, max(tf.where(moved, error, zeros)));
        errors.noise = Math.max(errors.noise, max(tf.where(still, error, zeros)));
        errors.noiseCount += tf.sum(tf.cast(still, 'int32')).dataSync()[0]!;
      }
    });
  }
  return errors;
}

/**
 * Bound on `noise` / lr. A weight whose reference gradient is zero gets a step driven by
 * float32 rounding alone (StarGAN's G: the centre taps of the first conv on the tiled label
 * channels, whose effect instance norm removes; biases followed by batch norm). Adam's first
 * step is at most lr whatever the gradient, so all that can be checked is that bound.
 */
export const NOISE_LIMIT = 1.0001;

/** Copies of every variable's current value, to check what a step leaves alone. */
export function snapshot(variables: ReadonlyMap<string, tf.Variable>): Map<string, tf.Tensor> {
  return new Map([...variables].map(([name, v]) => [name, tf.clone(v)]));
}

/** Max errors per family, printed when PARITY_REPORT is set (for the numbers). */
export function report(family: string, errors: Record<string, number>): void {
  if (!process.env.PARITY_REPORT) return;
  const cells = Object.entries(errors).map(([k, v]) => `${k} ${v.toExponential(2)}`);
  console.info(`parity ${family}: ${cells.join(', ')}`);
}
