/**
 * Our WebGPU kernels against TF.js's stock ones and against the definition, on a sweep of
 * shapes, in the page's own worker (the only place a WebGPU device exists): the end-to-end
 * suite asks for it through the bench API.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../../core/random';
import { adam, TorchRmsProp } from '../../../models/shared/optim';
import type { KernelCheck } from '../../../protocol/messages';
import { CHANNEL_OPS, type ChannelOp } from './channelBinary';
import { ownKernelRuns, ownWebGpuKernelsOn, setOwnWebGpuKernels } from './index';

interface ConvCase {
  readonly batch: number;
  readonly size: readonly [number, number];
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride: number;
  readonly pad: number;
}

/** Batch 1-16, channels 3-256, kernels 1/3/4/7, strides 1/2, padding 0-3, odd sizes. */
const CASES: readonly ConvCase[] = [
  { batch: 2, size: [8, 8], inChannels: 3, outChannels: 8, kernel: 4, stride: 2, pad: 1 },
  { batch: 1, size: [7, 5], inChannels: 5, outChannels: 3, kernel: 3, stride: 1, pad: 1 },
  { batch: 4, size: [16, 16], inChannels: 8, outChannels: 16, kernel: 4, stride: 2, pad: 1 },
  { batch: 3, size: [9, 9], inChannels: 12, outChannels: 20, kernel: 3, stride: 2, pad: 0 },
  { batch: 16, size: [4, 4], inChannels: 64, outChannels: 128, kernel: 4, stride: 2, pad: 1 },
  { batch: 2, size: [6, 6], inChannels: 256, outChannels: 4, kernel: 1, stride: 1, pad: 0 },
  { batch: 2, size: [11, 13], inChannels: 3, outChannels: 16, kernel: 7, stride: 1, pad: 3 },
  { batch: 5, size: [10, 10], inChannels: 16, outChannels: 32, kernel: 3, stride: 1, pad: 2 },
  { batch: 8, size: [32, 32], inChannels: 3, outChannels: 32, kernel: 4, stride: 2, pad: 1 },
  { batch: 2, size: [8, 8], inChannels: 4, outChannels: 256, kernel: 3, stride: 1, pad: 1 },
  { batch: 3, size: [7, 9], inChannels: 8, outChannels: 12, kernel: 4, stride: 2, pad: 1 },
  { batch: 2, size: [13, 11], inChannels: 4, outChannels: 8, kernel: 7, stride: 2, pad: 3 },
  { batch: 2, size: [5, 6], inChannels: 6, outChannels: 8, kernel: 3, stride: 2, pad: 1 },
  // Output channels not in 4s: a last layer to RGB, a critic's one output, a class head.
  { batch: 2, size: [8, 8], inChannels: 16, outChannels: 3, kernel: 7, stride: 1, pad: 3 },
  { batch: 3, size: [2, 2], inChannels: 8, outChannels: 1, kernel: 3, stride: 1, pad: 1 },
  { batch: 2, size: [4, 4], inChannels: 12, outChannels: 5, kernel: 4, stride: 2, pad: 1 },
];

/** The three convolution ops by their definitions, in plain loops over one tap at a time. */
function byDefinition(
  x: Float32Array,
  w: Float32Array,
  dy: Float32Array,
  c: ConvCase,
  [oh, ow]: readonly [number, number],
) {
  const [h, wd] = c.size;
  const { inChannels: ci, outChannels: co, kernel: k, stride: s, pad: p } = c;
  const y = new Float64Array(c.batch * oh * ow * co);
  const dx = new Float64Array(c.batch * h * wd * ci);
  const dW = new Float64Array(k * k * ci * co);
  for (let b = 0; b < c.batch; b++)
    for (let r = 0; r < oh; r++)
      for (let q = 0; q < ow; q++)
        for (let i = 0; i < k; i++) {
          const xr = r * s + i - p;
          if (xr < 0 || xr >= h) continue;
          for (let j = 0; j < k; j++) {
            const xc = q * s + j - p;
            if (xc < 0 || xc >= wd) continue;
            const yBase = ((b * oh + r) * ow + q) * co;
            for (let a = 0; a < ci; a++) {
              const xAt = ((b * h + xr) * wd + xc) * ci + a;
              const wBase = ((i * k + j) * ci + a) * co;
              for (let o = 0; o < co; o++) {
                y[yBase + o]! += x[xAt]! * w[wBase + o]!;
                dx[xAt]! += dy[yBase + o]! * w[wBase + o]!;
                dW[wBase + o]! += x[xAt]! * dy[yBase + o]!;
              }
            }
          }
        }
  return {
    Conv2D: Float32Array.from(y),
    Conv2DBackpropInput: Float32Array.from(dx),
    Conv2DBackpropFilter: Float32Array.from(dW),
  };
}

/** Largest difference relative to the largest magnitude of the expected values. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / Math.max(scale, 1e-30);
}

/**
 * A kernel's output with our kernels on, then with TF.js's; the switch is left as it was.
 * `kernel` names the registered kernel that must have run as ours (not fallen back to stock),
 * else the comparison would be stock against stock.
 */
async function oursAndStock(
  run: () => tf.Tensor,
  kernel?: string,
): Promise<[Float32Array, Float32Array]> {
  const before = ownWebGpuKernelsOn();
  const results: Float32Array[] = [];
  try {
    for (const own of [true, false]) {
      setOwnWebGpuKernels(own);
      const runsBefore = kernel ? ownKernelRuns(kernel) : 0;
      const out = run();
      if (own && kernel && ownKernelRuns(kernel) === runsBefore) {
        out.dispose();
        throw new Error(`our ${kernel} did not run on [${out.shape}]: the stock kernel answered`);
      }
      results.push((await out.data()) as Float32Array);
      out.dispose();
    }
  } finally {
    setOwnWebGpuKernels(before);
  }
  return results as [Float32Array, Float32Array];
}

function report(
  kernel: string,
  shape: string,
  [ours, stock]: readonly [Float32Array, Float32Array],
  exact: Float32Array,
): KernelCheck {
  return {
    kernel,
    shape,
    vsStock: relativeError(ours, stock),
    vsDefinition: relativeError(ours, exact),
    stockVsDefinition: relativeError(stock, exact),
  };
}

type ConvOp = 'Conv2D' | 'Conv2DBackpropInput' | 'Conv2DBackpropFilter';

function convKernel(
  op: ConvOp,
  tensors: { x: tf.Tensor4D; w: tf.Tensor4D; dy: tf.Tensor4D },
  c: ConvCase,
): tf.Tensor {
  const pad = [
    [0, 0],
    [c.pad, c.pad],
    [c.pad, c.pad],
    [0, 0],
  ] as tf.backend_util.ExplicitPadding;
  const common = { strides: c.stride, pad, dataFormat: 'NHWC', dilations: 1 };
  const { x, w, dy } = tensors;
  const [inputs, attrs] =
    op === 'Conv2D'
      ? [{ x, filter: w }, common]
      : op === 'Conv2DBackpropInput'
        ? [
            { dy, filter: w },
            { ...common, inputShape: x.shape },
          ]
        : [
            { x, dy },
            { ...common, filterShape: w.shape },
          ];
  return tf.engine().runKernel(op, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** Activation and per-channel vector shapes for the channel-wise binary ops, either order. */
const CHANNEL_CASES: readonly (readonly [readonly number[], readonly number[], boolean])[] = [
  [[64, 4, 4, 16], [16], false],
  [[3, 5, 7, 12], [1, 1, 1, 12], true],
  [[2, 3, 3, 6], [6], true],
  [[5, 40], [40], false],
  [[2, 4, 4, 3], [3], false],
];

async function checkChannelOps(rng: Rng): Promise<KernelCheck[]> {
  const checks: KernelCheck[] = [];
  for (const [full, vector, vectorFirst] of CHANNEL_CASES) {
    const fullValues = Float32Array.from(rng.normalArray(full.reduce((a, b) => a * b, 1)));
    // Away from zero, so that division is well conditioned.
    const vectorValues = Float32Array.from(
      rng.normalArray(vector.reduce((a, b) => a * b, 1)),
      (v) => Math.sign(v || 1) * (0.5 + Math.abs(v)),
    );
    const f = tf.tensor(fullValues, [...full]);
    const v = tf.tensor(vectorValues, [...vector]);
    const channels = full[full.length - 1]!;
    for (const op of Object.keys(CHANNEL_OPS) as ChannelOp[]) {
      const [a, b] = vectorFirst ? [v, f] : [f, v];
      const exact = fullValues.map((x, i) => {
        const c = vectorValues[i % channels]!;
        const [l, r] = vectorFirst ? [c, x] : [x, c];
        return op === 'Add' ? l + r : op === 'Sub' ? l - r : op === 'Multiply' ? l * r : l / r;
      });
      const outputs = await oursAndStock(
        () => tf.engine().runKernel(op, { a, b }) as tf.Tensor,
        op,
      );
      const shape = vectorFirst ? `[${vector}] by [${full}]` : `[${full}] by [${vector}]`;
      checks.push(report(op, shape, outputs, exact));
    }
    tf.dispose([f, v]);
  }
  return checks;
}

/**
 * Inputs for the reductions over a run of axes, with and without kept dimensions; null is
 * every axis, as tf.mean(x) hands it to the kernel.
 */
const REDUCE_CASES: readonly (readonly [readonly number[], readonly number[] | null, boolean])[] = [
  [[64, 4, 4, 16], [0, 1, 2], false],
  [[3, 5, 7, 6], [0, 1, 2], true],
  [[2, 40], [0], false],
  [[16, 8, 8, 3], [0, 1, 2], true],
  // Instance norm's statistics: per image and channel.
  [[4, 8, 8, 16], [1, 2], true],
  [[3, 5, 6, 7], [1, 2], false],
  // A loss's mean over everything, pixel norm's over the last axis, pooling's middle axis.
  [[16, 8, 8, 3], [0, 1, 2, 3], false],
  [[64, 1], null, false],
  [[256, 1], null, true],
  [[4097], [0], false],
  [[6, 13], [1], true],
  [[5, 32], [-1], false],
  [[2, 3, 2, 5, 4], [2], false],
];

async function checkReductions(rng: Rng): Promise<KernelCheck[]> {
  const checks: KernelCheck[] = [];
  for (const [shape, axis, keepDims] of REDUCE_CASES) {
    const values = Float32Array.from(rng.normalArray(shape.reduce((a, b) => a * b, 1)));
    const x = tf.tensor(values, [...shape]);
    const axes = (axis ?? shape.map((_, i) => i)).map((a) => (a < 0 ? a + shape.length : a));
    const rows = axes.reduce((n, a) => n * shape[a]!, 1);
    const inner = shape.slice(Math.max(...axes) + 1).reduce((a, b) => a * b, 1);
    const sums = new Float64Array(values.length / rows);
    values.forEach((v, i) => {
      const o = Math.floor(i / (rows * inner));
      sums[o * inner + (i % inner)]! += v;
    });
    for (const op of ['Sum', 'Mean'] as const) {
      const exact = Float32Array.from(sums, (v) => (op === 'Mean' ? v / rows : v));
      const outputs = await oursAndStock(() => {
        const attrs = { axis, keepDims } as unknown as tf.NamedAttrMap;
        const out = tf.engine().runKernel(op, { x }, attrs) as tf.Tensor;
        const expectedShape = keepDims
          ? shape.map((d, i) => (axes.includes(i) ? 1 : d))
          : shape.filter((_, i) => !axes.includes(i));
        if (out.shape.join() !== expectedShape.join()) {
          throw new Error(`${op} gave shape [${out.shape}], not [${expectedShape}]`);
        }
        return out;
      }, op);
      checks.push(
        report(
          op,
          `[${shape}] over ${axis ? `[${axis}]` : 'every axis'}${keepDims ? ', kept dims' : ''}`,
          outputs,
          exact,
        ),
      );
    }
    x.dispose();
  }
  return checks;
}

/** [batch A, rows, inner] by [batch B, inner, columns] before transposes; a batch of 1 broadcasts. */
const MATMUL_CASES: readonly (readonly [number, number, number, number, number])[] = [
  [1, 1, 64, 2, 32],
  [1, 1, 5, 7, 3],
  [1, 1, 64, 32, 32],
  [1, 1, 33, 130, 17],
  [1, 1, 2, 300, 9],
  [4, 4, 16, 3, 16],
  [3, 1, 6, 10, 7],
  [1, 5, 9, 4, 12],
];

async function checkMatMul(rng: Rng): Promise<KernelCheck[]> {
  const checks: KernelCheck[] = [];
  for (const [batchA, batchB, m, k, n] of MATMUL_CASES) {
    const batch = Math.max(batchA, batchB);
    const a = Float32Array.from(rng.normalArray(batchA * m * k));
    const b = Float32Array.from(rng.normalArray(batchB * k * n));
    const exact = new Float64Array(batch * m * n);
    for (let p = 0; p < batch; p++) {
      const [pa, pb] = [batchA === 1 ? 0 : p, batchB === 1 ? 0 : p];
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++)
          for (let q = 0; q < k; q++)
            exact[(p * m + i) * n + j]! += a[(pa * m + i) * k + q]! * b[(pb * k + q) * n + j]!;
    }
    for (const [transposeA, transposeB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      // The same products, with each operand stored transposed where the op is told so; a
      // batch of 1 is left out of the shape, as tf.matMul hands a 2-D operand to the kernel.
      const inputs = tf.tidy(() => {
        const operand = (
          values: Float32Array,
          batch: number,
          rows: number,
          cols: number,
          t: boolean,
        ) => {
          const x = tf.tensor3d(values, [batch, rows, cols]);
          const stored = t ? tf.transpose(x, [0, 2, 1]) : x;
          return batch === 1 ? tf.squeeze(stored, [0]) : stored;
        };
        return { a: operand(a, batchA, m, k, transposeA), b: operand(b, batchB, k, n, transposeB) };
      });
      const outputs = await oursAndStock(
        () => tf.engine().runKernel('BatchMatMul', inputs, { transposeA, transposeB }) as tf.Tensor,
        'BatchMatMul',
      );
      const shape = `[${inputs.a.shape}]${transposeA ? "'" : ''} by [${inputs.b.shape}]${transposeB ? "'" : ''}`;
      checks.push(report('BatchMatMul', shape, outputs, Float32Array.from(exact)));
      tf.dispose(inputs);
    }
  }
  return checks;
}

const ADAM = [2e-2, 0.5, 0.999, 1e-8] as const;
const RMSPROP = [5e-3, 0.99, 1e-8] as const;

/** Adam's update by its formula, in float64: the weights and both moments. */
function adamByDefinition(initial: Float32Array, gradients: readonly Float32Array[]) {
  const [lr, beta1, beta2, eps] = ADAM;
  const w = Float64Array.from(initial);
  const m = new Float64Array(w.length);
  const v = new Float64Array(w.length);
  gradients.forEach((g, step) => {
    const t = step + 1;
    for (let i = 0; i < w.length; i++) {
      m[i] = beta1 * m[i]! + (1 - beta1) * g[i]!;
      v[i] = beta2 * v[i]! + (1 - beta2) * g[i]! ** 2;
      w[i]! -= (lr * (m[i]! / (1 - beta1 ** t))) / (Math.sqrt(v[i]! / (1 - beta2 ** t)) + eps);
    }
  });
  return [w, m, v];
}

/** torch.optim.RMSprop's update (momentum 0) by its formula, in float64: weights, mean square. */
function rmsPropByDefinition(initial: Float32Array, gradients: readonly Float32Array[]) {
  const [lr, decay, eps] = RMSPROP;
  const w = Float64Array.from(initial);
  const v = new Float64Array(w.length);
  for (const g of gradients) {
    for (let i = 0; i < w.length; i++) {
      v[i] = decay * v[i]! + (1 - decay) * g[i]! ** 2;
      w[i]! -= (lr * g[i]!) / (Math.sqrt(v[i]!) + eps);
    }
  }
  return [w, v];
}

interface OptimizerCase {
  readonly name: string;
  readonly make: () => tf.Optimizer;
  /** What is compared: the weights, then the slots in getWeights' order. */
  readonly compared: readonly string[];
  /** Gradients are N(0, 1) times this. */
  readonly gradientScale: number;
  readonly byDefinition: (
    initial: Float32Array,
    gradients: readonly Float32Array[],
  ) => Float64Array[];
}

const OPTIMIZERS: readonly OptimizerCase[] = [
  {
    name: 'Adam',
    make: () => adam(ADAM[0], ADAM[1], ADAM[2]),
    compared: ['weights', 'first moments', 'second moments'],
    gradientScale: 1,
    byDefinition: adamByDefinition,
  },
  {
    name: 'RMSprop',
    make: () => new TorchRmsProp(RMSPROP[0], RMSPROP[1], 0, RMSPROP[2]),
    compared: ['weights', 'mean squares'],
    // Gradients of a clipped critic's size, where sqrt(v) is near epsilon: PyTorch's
    // g / (sqrt(v) + eps) and TF.js's g / sqrt(v + eps) differ by orders of magnitude here.
    gradientScale: 1e-7,
    byDefinition: rmsPropByDefinition,
  },
];

/** Three steps on the same weights and gradients: our fused kernels and TF.js's ops. */
async function checkOptimizer(rng: Rng, o: OptimizerCase): Promise<KernelCheck[]> {
  const shapes = [[4, 4, 3, 8], [5], [7, 3]];
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b));
  const initial = sizes.map((n) => Float32Array.from(rng.normalArray(n)));
  const steps = [0, 1, 2].map(() =>
    sizes.map((n) => Float32Array.from(rng.normalArray(n), (g) => g * o.gradientScale)),
  );
  const before = ownWebGpuKernelsOn();
  // Per run: the weights, then each slot, every variable's values joined.
  const runs: Float32Array[][] = [];
  for (const own of [true, false]) {
    setOwnWebGpuKernels(own);
    const variables = tf.tidy(() => shapes.map((s, i) => tf.variable(tf.tensor(initial[i]!, s))));
    const optimizer = o.make();
    for (const step of steps) {
      const grads = variables.map((v, i) => ({
        name: v.name,
        tensor: tf.tensor(step[i]!, shapes[i]),
      }));
      optimizer.applyGradients(grads);
      tf.dispose(grads.map((g) => g.tensor));
    }
    const [iterations, ...saved] = await optimizer.getWeights();
    iterations!.tensor.dispose();
    const slots = saved.map(({ tensor }) => tensor);
    const values = await Promise.all(
      [...variables, ...slots].map(async (t) => (await t.data()) as Float32Array),
    );
    runs.push(
      o.compared.map((_, k) =>
        Float32Array.from(
          values.slice(k * shapes.length, (k + 1) * shapes.length).flatMap((a) => [...a]),
        ),
      ),
    );
    optimizer.dispose();
    tf.dispose(variables);
  }
  setOwnWebGpuKernels(before);
  const perVariable = sizes.map((_, i) =>
    o.byDefinition(
      initial[i]!,
      steps.map((s) => s[i]!),
    ),
  );
  const [ours, stock] = runs as [Float32Array[], Float32Array[]];
  return o.compared.map((name, k) =>
    report(
      o.name,
      `${name} after 3 steps`,
      [ours[k]!, stock[k]!],
      Float32Array.from(perVariable.flatMap((d) => [...d[k]!])),
    ),
  );
}

/** Distinct scalar values the constants check writes: more than the cache keeps. */
const CONSTANT_VALUES = 300;

/**
 * Shared scalar constants (constants.ts): two scalars of one value share their data with our
 * kernels on, and not with the stock path; one outlives the other's disposal; 0 and -0 stay
 * apart; and a recurrence that writes more distinct values than the cache keeps (evicting)
 * computes what the stock path and float32 arithmetic give.
 */
async function checkConstants(rng: Rng): Promise<KernelCheck[]> {
  const before = ownWebGpuKernelsOn();
  setOwnWebGpuKernels(true);
  const [a, b, zero, minusZero] = [0.25, 0.25, 0, -0].map((v) => tf.scalar(v));
  const shared = a!.dataId === b!.dataId;
  a!.dispose();
  const kept = (await b!.data())[0];
  const reciprocals = tf.tidy(() => tf.div(1, tf.stack([zero!, minusZero!])));
  const signs = await reciprocals.data();
  tf.dispose([b!, zero!, minusZero!, reciprocals]);
  setOwnWebGpuKernels(false);
  const [c, d] = [0.5, 0.5].map((v) => tf.scalar(v));
  const stockShares = c!.dataId === d!.dataId;
  tf.dispose([c!, d!]);
  setOwnWebGpuKernels(before);
  const problems = [
    !shared && 'two scalars of one value do not share their data',
    stockShares && 'the stock path shares scalars',
    kept !== 0.25 && `a shared scalar read ${kept} after its twin was disposed`,
    (signs[0] !== Infinity || signs[1] !== -Infinity) && `1 / [0, -0] gave [${signs}]`,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`Shared constants: ${problems.join('; ')}`);

  const start = Float32Array.from(rng.normalArray(64));
  const exact = Float32Array.from(start);
  for (let k = 0; k < CONSTANT_VALUES; k++) {
    for (let i = 0; i < exact.length; i++) {
      exact[i] = Math.fround(Math.fround(exact[i]! * 0.999) + Math.fround(k * 1e-3));
    }
  }
  const outputs = await oursAndStock(() =>
    tf.tidy(() => {
      let y: tf.Tensor = tf.tensor1d(start);
      for (let k = 0; k < CONSTANT_VALUES; k++) y = tf.add(tf.mul(y, 0.999), k * 1e-3);
      return y;
    }),
  );
  return [report('Shared constants', `${CONSTANT_VALUES} distinct scalars`, outputs, exact)];
}

export async function checkOwnKernels(): Promise<KernelCheck[]> {
  if (tf.getBackend() !== 'webgpu')
    throw new Error('our kernels are WebGPU kernels: run on WebGPU');
  const tensorsBefore = tf.memory().numTensors;
  const rng = new Rng(7);
  const checks: KernelCheck[] = [];
  for (const c of CASES) {
    const [h, wd] = c.size;
    const oh = Math.floor((h + 2 * c.pad - c.kernel) / c.stride) + 1;
    const ow = Math.floor((wd + 2 * c.pad - c.kernel) / c.stride) + 1;
    const values = {
      x: Float32Array.from(rng.normalArray(c.batch * h * wd * c.inChannels)),
      w: Float32Array.from(rng.normalArray(c.kernel * c.kernel * c.inChannels * c.outChannels)),
      dy: Float32Array.from(rng.normalArray(c.batch * oh * ow * c.outChannels)),
    };
    const tensors = {
      x: tf.tensor4d(values.x, [c.batch, h, wd, c.inChannels]),
      w: tf.tensor4d(values.w, [c.kernel, c.kernel, c.inChannels, c.outChannels]),
      dy: tf.tensor4d(values.dy, [c.batch, oh, ow, c.outChannels]),
    };
    const exact = byDefinition(values.x, values.w, values.dy, c, [oh, ow]);
    for (const op of ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'] as const) {
      const outputs = await oursAndStock(() => convKernel(op, tensors, c), op);
      checks.push(
        report(
          op,
          `x ${c.batch}x${h}x${wd}x${c.inChannels}, k ${c.kernel} s ${c.stride} p ${c.pad}, ${c.outChannels} out`,
          outputs,
          exact[op],
        ),
      );
    }
    tf.dispose(Object.values(tensors));
  }
  const all = [
    ...checks,
    ...(await checkChannelOps(rng)),
    ...(await checkReductions(rng)),
    ...(await checkMatMul(rng)),
  ];
  for (const o of OPTIMIZERS) all.push(...(await checkOptimizer(rng, o)));
  all.push(...(await checkConstants(rng)));
  const left = tf.memory().numTensors - tensorsBefore;
  if (left !== 0) throw new Error(`the kernel checks left ${left} tensors behind`);
  return all;
}
