import * as tf from '@tensorflow/tfjs-core';
// tfjs-core registers no gradients by itself; training needs all of them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { NamedTensor } from '@tensorflow/tfjs-core/dist/tensor_types';

export interface LossTerms {
  /** What the optimiser minimises (the weighted sum of the terms). */
  readonly total: tf.Scalar;
  /** The unweighted terms, in a fixed order, as the charts show them. */
  readonly terms: readonly tf.Scalar[];
}

/**
 * One optimiser step on `variables` that also returns each loss term, stacked, for the charts.
 * The terms are kept through variableGrads' internal tidy and disposed here, so the caller
 * owns only the returned tensor.
 */
export function minimizeTerms(
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  loss: () => LossTerms,
): tf.Tensor1D {
  let kept: tf.Scalar[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const { total, terms } = loss();
    kept = terms.map((term) => tf.keep(term));
    return total;
  }, variables);
  optimizer.applyGradients(grads);
  const stacked = tf.stack(kept) as tf.Tensor1D;
  tf.dispose([value, ...Object.values(grads), ...kept]);
  return stacked;
}

export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';

/** Adam's and RMSprop's epsilon in PyTorch (and TF1), which every reference uses. */
export const TORCH_EPSILON = 1e-8;

/**
 * The epsilon to use on the current backend: PyTorch's 1e-8, unless the backend computes in
 * float16 (WebGL without float32 textures), where 1e-8 rounds to 0 and a weight whose
 * gradients are all zero would get 0 / 0; there TF.js's own choice (1e-4) is kept.
 */
export function torchEpsilon(): number {
  const backend = tf.backend();
  return backend.floatPrecision() === 32 ? TORCH_EPSILON : backend.epsilon();
}

/** One variable's Adam update, for a backend's fused kernels to carry out in place. */
export interface AdamUpdate {
  readonly value: tf.Variable;
  readonly gradient: tf.Tensor;
  readonly m: tf.Variable;
  readonly v: tf.Variable;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** lr / (1 - beta1^t): the step size with the first moment's bias correction. */
  readonly stepSize: number;
  /** 1 - beta2^t, the second moment's bias correction. */
  readonly correction2: number;
}

/** One variable's RMSprop update with momentum 0, for a backend's fused kernels. */
export interface RmsPropUpdate {
  readonly value: tf.Variable;
  readonly gradient: tf.Tensor;
  /** The running mean of g^2 (the `rms` slot). */
  readonly v: tf.Variable;
  readonly decay: number;
  readonly epsilon: number;
  readonly learningRate: number;
}

/**
 * A faster way to apply optimiser updates on the current backend (our WebGPU kernels provide
 * one): `adam` and `rmsProp` update the slots and the value of every variable given, or
 * `available` is false and TF.js's own ops run. Models do not know which.
 */
export interface OptimizerKernels {
  available(): boolean;
  adam(updates: readonly AdamUpdate[]): void;
  rmsProp(updates: readonly RmsPropUpdate[]): void;
}

let optimizerKernels: OptimizerKernels | null = null;

export function provideOptimizerKernels(kernels: OptimizerKernels | null): void {
  optimizerKernels = kernels;
}

interface AdamSlots {
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * TF.js's Adam (its slots, names and bundle layout), whose step runs as a fused kernel per
 * variable where a backend provides one (`provideOptimizerKernels`) instead of about a dozen
 * element-wise ops and their scalar constants. The arithmetic is TF.js's:
 *   m <- b1 m + (1 - b1) g,  v <- b2 v + (1 - b2) g^2,
 *   w <- w - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
 */
class FusableAdam extends tf.AdamOptimizer {
  override applyGradients(
    variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0],
  ): void {
    const kernels = optimizerKernels;
    if (!kernels?.available()) {
      super.applyGradients(variableGradients);
      return;
    }
    const self = this as unknown as AdamSlots;
    const entries: [string, tf.Tensor | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map(({ name, tensor }): [string, tf.Tensor] => [name, tensor])
      : Object.entries(variableGradients);
    const t = this.iterations + 1;
    const registered = tf.engine().registeredVariables;
    const updates: AdamUpdate[] = [];
    entries.forEach(([name, gradient], i) => {
      const value = registered[name];
      if (!value) throw new Error(`Adam: no variable named ${name}`);
      const zeros = () => tf.tidy(() => tf.variable(tf.zerosLike(value), false));
      self.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: zeros() };
      self.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: zeros() };
      if (gradient == null) return;
      updates.push({
        value,
        gradient,
        m: self.accumulatedFirstMoment[i].variable,
        v: self.accumulatedSecondMoment[i].variable,
        beta1: self.beta1,
        beta2: self.beta2,
        epsilon: self.epsilon,
        stepSize: self.learningRate / (1 - self.beta1 ** t),
        correction2: 1 - self.beta2 ** t,
      });
    });
    kernels.adam(updates);
    // Kept as TF.js keeps them: bundles store these powers.
    tf.tidy(() => {
      self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
    });
    this.incrementIterations();
  }
}

/**
 * Adam with PyTorch's epsilon. TF.js defaults epsilon to the backend's (1e-7 in float32), and
 * Adam's first steps are lr * g / (|g| + epsilon): weights whose gradients are near epsilon
 * move visibly differently.
 */
export function adam(lr = 0.001, beta1 = 0.9, beta2 = 0.999): tf.AdamOptimizer {
  // tf.train.adam's defaults, which a model built from a checkpoint's shapes alone relies on.
  return new FusableAdam(lr, beta1, beta2, torchEpsilon());
}

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/**
 * RMSprop as torch.optim.RMSprop computes it (not centred), which the WGAN reference uses:
 *   v <- alpha v + (1 - alpha) g^2,  b <- momentum b + g / (sqrt(v) + eps),  w <- w - lr b
 * (with momentum 0, w <- w - lr g / (sqrt(v) + eps)). TF.js's RMSPropOptimizer divides by
 * sqrt(v + eps) instead: on its first step a weight moves lr * 10 sign(g) in PyTorch but only
 * about lr * 1e4 g in TF.js when |g| is well below 1e-3, as a clipped critic's often are.
 *
 * For bundles it behaves as TF.js's: getClassName() is 'RMSProp', and getWeights() returns
 * the iteration count, then every weight's `rms` slot, then every weight's `momentum` slot
 * (PyTorch's b; zeros while momentum is 0), in the order the weights reach applyGradients.
 * Slots belong to positions in that order, as in TF.js, so the variable list must not change.
 */
export class TorchRmsProp extends tf.Optimizer {
  static get className(): string {
    return 'RMSProp';
  }

  private rms: Slot[] = [];
  private momentumSlots: Slot[] = [];

  constructor(
    /** Read on every step; setLearningRate changes it (schedules). */
    public learningRate: number,
    readonly decay = 0.99,
    readonly momentum = 0,
    readonly epsilon = torchEpsilon(),
  ) {
    super();
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: [string, tf.Tensor][] = Array.isArray(variableGradients)
      ? variableGradients.map(({ name, tensor }): [string, tf.Tensor] => [name, tensor])
      : Object.entries(variableGradients);
    const registered = tf.engine().registeredVariables;
    // The fused kernels cover momentum 0, the only setting the references use.
    const kernels = this.momentum === 0 && optimizerKernels?.available() ? optimizerKernels : null;
    const updates: RmsPropUpdate[] = [];
    entries.forEach(([name, gradient], i) => {
      const value = registered[name];
      if (!value) throw new Error(`RMSprop: no variable named ${name}`);
      const zeros = () => tf.tidy(() => tf.variable(tf.zerosLike(value), false));
      this.rms[i] ??= { originalName: `${name}/rms`, variable: zeros() };
      this.momentumSlots[i] ??= { originalName: `${name}/momentum`, variable: zeros() };
      if (gradient == null) return;
      const v = this.rms[i].variable;
      if (kernels) {
        const { decay, epsilon, learningRate } = this;
        updates.push({ value, gradient, v, decay, epsilon, learningRate });
        return;
      }
      const b = this.momentumSlots[i].variable;
      tf.tidy(() => {
        const newV = tf.add(tf.mul(v, this.decay), tf.mul(tf.square(gradient), 1 - this.decay));
        v.assign(newV);
        let direction = tf.div(gradient, tf.add(tf.sqrt(newV), this.epsilon));
        if (this.momentum > 0) {
          direction = tf.add(tf.mul(b, this.momentum), direction);
          b.assign(direction);
        }
        value.assign(tf.sub(value, tf.mul(direction, this.learningRate)));
      });
    });
    kernels?.rmsProp(updates);
    this.incrementIterations();
  }

  override dispose(): void {
    super.dispose();
    tf.dispose([...this.rms, ...this.momentumSlots].map((slot) => slot.variable));
    this.rms = [];
    this.momentumSlots = [];
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const slots = [...this.rms, ...this.momentumSlots];
    return [
      await this.saveIterations(),
      ...slots.map(({ originalName, variable }) => ({ name: originalName, tensor: variable })),
    ];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const values = await this.extractIterations(weightValues);
    tf.dispose([...this.rms, ...this.momentumSlots].map((slot) => slot.variable));
    const toSlot = ({ name, tensor }: NamedTensor): Slot => ({
      originalName: name,
      variable: tf.variable(tensor, false),
    });
    const count = values.length / 2;
    this.rms = values.slice(0, count).map(toSlot);
    this.momentumSlots = values.slice(count).map(toSlot);
  }

  getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      decay: this.decay,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: false,
    };
  }
}

export function makeOptimizer(
  name: OptimizerName,
  lr: number,
  beta1: number,
  beta2: number,
): tf.Optimizer {
  switch (name) {
    case 'adam':
      return adam(lr, beta1, beta2);
    case 'sgd':
      return tf.train.sgd(lr);
    case 'rmsprop':
      // PyTorch's RMSprop defaults, as the WGAN reference uses them: smoothing 0.99, eps 1e-8.
      return new TorchRmsProp(lr, 0.99, 0, torchEpsilon());
  }
}

/** Clamps every variable to [-c, c] in place: WGAN's weight clipping. */
export function clipWeights(variables: readonly tf.Variable[], c: number): void {
  // assign() keeps the clipped tensor's data; the tidy frees the tensor object itself.
  tf.tidy(() => {
    for (const v of variables) v.assign(tf.clipByValue(v, -c, c));
  });
}

/**
 * Changes an optimiser's learning rate in place, for schedules (linear decay). SGD has a
 * setter; Adam and RMSprop read their `learningRate` field on every step but expose no setter,
 * and Adam ignores any rescaling of the gradients, so for them the field is the only handle.
 */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  if (optimizer.getClassName() === 'SGD') (optimizer as tf.SGDOptimizer).setLearningRate(lr);
  else (optimizer as unknown as { learningRate: number }).learningRate = lr;
}

/** Linear decay to 0 over the second half of a run, as StarGAN and CycleGAN schedule lr. */
export function linearDecay(base: number, iteration: number, numIters: number): number {
  const decayStart = numIters / 2;
  if (iteration <= decayStart) return base;
  return base * Math.max(0, (numIters - iteration) / (numIters - decayStart));
}

/** An optimiser, the variables it updates and its L2 weight decay (torch.optim.Adam's). */
export interface OptimizerGroup {
  readonly optimizer: tf.Optimizer;
  readonly variables: tf.Variable[];
  /**
   * PyTorch's `weight_decay` for Adam: L2 added to the gradient before the moments,
   * g <- g + wd * w (not AdamW's decoupled decay).
   */
  readonly weightDecay: number;
}

/**
 * One backward pass and a step of several optimisers, each on its own variables (StarGAN v2's
 * G step updates G, F and E with three Adams after one g_loss.backward()). Returns the terms
 * stacked, as minimizeTerms.
 */
export function minimizeGroups(
  groups: readonly OptimizerGroup[],
  loss: () => LossTerms,
): tf.Tensor1D {
  let kept: tf.Scalar[] = [];
  const variables = groups.flatMap((g) => g.variables);
  const { value, grads } = tf.variableGrads(() => {
    const { total, terms } = loss();
    kept = terms.map((term) => tf.keep(term));
    return total;
  }, variables);
  for (const group of groups) {
    const decayed = tf.tidy(() =>
      Object.fromEntries(
        // A variable the loss does not reach has no gradient: PyTorch's grad is None then, and
        // its Adam skips the weight (no decay either).
        group.variables.flatMap((v) => {
          const g = grads[v.name];
          if (!g) return [];
          return [
            [v.name, group.weightDecay > 0 ? tf.add(g, tf.mul(group.weightDecay, v)) : tf.clone(g)],
          ];
        }),
      ),
    );
    group.optimizer.applyGradients(decayed);
    tf.dispose(Object.values(decayed));
  }
  const stacked = tf.stack(kept) as tf.Tensor1D;
  tf.dispose([value, ...Object.values(grads), ...kept]);
  return stacked;
}
