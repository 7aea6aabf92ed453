import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { experimentFromBundle, snapshotExperiment } from '../engine/bundles';
import { NO_RESOURCES } from '../engine/experiment';
import type { ExperimentConfig } from '../families';
import { createExperiment } from '../families/engines';
import {
  playgroundNoise,
  renderStyles,
  StyleGanExperiment,
  zOf,
} from '../families/stylegan/experiment';
import {
  MIX_A,
  MIX_B,
  STYLEGAN_DEFAULTS,
  type StyleGanConfig,
  type StyleRequest,
  WALK,
} from '../families/stylegan/spec';
import { Params } from './shared/params';
import { r1Penalty } from './shared/penalties';
import {
  equalizedDense,
  minibatchStddev,
  pixelNorm,
  runtimeScale,
  styleModulate,
} from './shared/styled';
import { buildDiscriminator, layerCount, StyleGan } from './stylegan';

const tiny: StyleGanConfig = {
  ...STYLEGAN_DEFAULTS,
  imageSize: 16,
  latentDim: 8,
  mappingLayers: 2,
  width: 4,
  batchSize: 4,
  datasetSize: 32,
};

const values = (t: tf.Tensor) => Array.from(t.dataSync());

const request = (layers: number, change: Partial<StyleRequest> = {}): StyleRequest => ({
  kind: 'style',
  seed: 1,
  crossover: 2,
  psi: 1,
  truncFrom: 0,
  truncTo: layers,
  noiseLayer: 0,
  noiseStrength: Array.from({ length: layers }, () => 1),
  noiseSeed: 1,
  redrawSeed: 1,
  ...change,
});

/** Gives every weight (noise weights and the tracked mean too) a seeded non-zero value. */
function randomise(params: Params, seed: number, std = 0.5): void {
  const rng = new Rng(seed);
  tf.tidy(() => {
    for (const v of params.named().values()) {
      v.assign(tf.tensor(rng.normalArray(v.size, std), v.shape));
    }
  });
}

describe('StyleGAN blocks', () => {
  it('pixel norm divides by the root mean square, by hand', () => {
    // [3, 4]: mean of squares 12.5.
    const y = pixelNorm(tf.tensor2d([[3, 4]]));
    expect(values(y)[0]).toBeCloseTo(3 / Math.sqrt(12.5), 6);
    expect(values(y)[1]).toBeCloseTo(4 / Math.sqrt(12.5), 6);
  });

  it('style modulation is x (1 + y_s) + y_b per channel, by hand', () => {
    const x = tf.tensor4d([2, 3], [1, 1, 1, 2]);
    const style = tf.tensor2d([[0.5, -1, -1, 4]]); // y_s = [0.5, -1], y_b = [-1, 4]
    expect(values(styleModulate(x, style))).toEqual([2 * 1.5 - 1, 3 * 0 + 4]);
  });

  it('equalised dense scales its stored N(0, 1/lrMul) weights by gain / sqrt(fanIn) * lrMul', () => {
    expect(runtimeScale(16, Math.SQRT2, 0.01)).toBeCloseTo((Math.SQRT2 / 4) * 0.01, 12);
    const params = new Params('T', new Rng(1));
    const layer = equalizedDense(params, 'fc', 64, 64, { lrMul: 0.01 });
    const W = params.named().get('T/fc/W')!;
    // Stored weights have std 1 / lrMul = 100, so the effective ones have std sqrt(2 / 64).
    const std = Math.sqrt(values(tf.mean(tf.square(W)))[0]!);
    expect(std).toBeGreaterThan(90);
    expect(std).toBeLessThan(110);
    const x = tf.tensor2d(new Rng(2).normalArray(3 * 64), [3, 64]);
    const b = params.named().get('T/fc/b')!;
    b.assign(tf.fill([64], 5));
    const expected = tf.add(tf.matMul(x, tf.mul(W, (Math.SQRT2 / 8) * 0.01)), 0.05);
    const diff = values(tf.abs(tf.sub(layer(x), expected)));
    expect(Math.max(...diff)).toBeLessThan(1e-5);
    params.dispose();
  });

  it('minibatch stddev appends the group std, averaged, to member i mod M', () => {
    // 4 samples of one pixel, one channel: groups of 2 pair samples (0, 2) and (1, 3).
    const x = tf.tensor4d([0, 10, 2, 14], [4, 1, 1, 1]);
    const y = values(minibatchStddev(x, 2));
    // std of (0, 2) = 1, of (10, 14) = 2 (population std, as the reference).
    expect(y.filter((_, i) => i % 2 === 1).map((v) => Number(v.toFixed(4)))).toEqual([1, 2, 1, 2]);
  });
});

describe('StyleGAN-lite model', () => {
  it('R1 matches central differences, and its weight gradient too (second order)', () => {
    const arch = { ...tiny, imageSize: 8 as 16, width: 3 };
    const params = new Params('D', new Rng(4));
    const D = buildDiscriminator(params, arch, 2);
    randomise(params, 5, 2);
    const real = tf.tensor4d(new Rng(6).normalArray(2 * 8 * 8 * 3, 0.5), [2, 8, 8, 3]);
    const r1 = values(r1Penalty(D, real))[0]!;
    // R1 = 0.5 mean_n sum (dD/dx)^2: dD/dx is checked by central differences at every 5th
    // input (a third of a second each on the CPU), then R1 against that gradient.
    const grad = tf.grad((x: tf.Tensor) => tf.sum(D(x as tf.Tensor4D)))(real);
    const analyticGrad = grad.dataSync() as Float32Array;
    const base = real.dataSync().slice() as Float32Array;
    const sumD = (x: Float32Array) =>
      tf.tidy(() => values(tf.sum(D(tf.tensor4d(x, [2, 8, 8, 3]))))[0]!);
    const h = 1e-2;
    const errors: number[] = [];
    for (let i = 0; i < base.length; i += 5) {
      const up = base.slice();
      const down = base.slice();
      up[i]! += h;
      down[i]! -= h;
      const numeric = (sumD(up) - sumD(down)) / (2 * h);
      errors.push(Math.abs(numeric - analyticGrad[i]!) / Math.max(1, Math.abs(numeric)));
    }
    // A step of h can cross a ReLU's kink, where differences are off by O(h): a few inputs may.
    errors.sort((x, y) => x - y);
    expect(errors[Math.floor(errors.length * 0.9)]).toBeLessThan(2e-3);
    expect(errors.at(-1)).toBeLessThan(5e-2);
    const squares = analyticGrad.reduce((sum, g) => sum + g * g, 0);
    expect(Math.abs(r1 - 0.5 * (squares / 2))).toBeLessThan(1e-5 * Math.max(1, r1));
    expect(r1).toBeGreaterThan(1e-4);
    // d R1 / d(one weight): the variable gradient against central differences of R1 itself.
    const w = params.named().get('D/4x4/Dense1/W')!;
    const { grads } = tf.variableGrads(() => r1Penalty(D, real), [w]);
    const analytic = values(grads[w.name]!)[0]!;
    const original = w.dataSync().slice();
    const at = (delta: number) => {
      const shifted = original.slice();
      shifted[0]! += delta;
      w.assign(tf.tensor(shifted, w.shape));
      return values(r1Penalty(D, real))[0]!;
    };
    const numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
    expect(Math.abs(analytic - numeric)).toBeLessThan(2e-2 * Math.max(1, Math.abs(analytic)));
    params.dispose();
  });

  it('moves G_ema by beta toward G after a G step, and copies the tracked mean', () => {
    const e = new StyleGanExperiment(tiny, 2, NO_RESOURCES);
    const { G, Gs, emaBeta } = e.model;
    const name = 'mapping/Dense0/W';
    const before = values(Gs.params.named().get(`Gs/${name}`)!);
    e.step('both').losses.dispose();
    const live = values(G.params.named().get(`G/${name}`)!);
    const average = values(Gs.params.named().get(`Gs/${name}`)!);
    expect(emaBeta).toBeCloseTo(0.5 ** (4 / (tiny.emaKimg * 1000)), 12);
    for (let i = 0; i < live.length; i += 7) {
      expect(average[i]).toBeCloseTo(emaBeta * before[i]! + (1 - emaBeta) * live[i]!, 4);
    }
    expect(values(Gs.wAvg)).toEqual(values(G.wAvg));
    expect(values(tf.abs(G.wAvg)).some((v) => v > 0)).toBe(true);
    e.dispose();
  });

  it('mixes the grid with A before the crossover and B from it, layer by layer', () => {
    const model = new StyleGan(tiny, new Rng(3));
    const layers = layerCount(tiny.imageSize);
    randomise(model.Gs.params, 7);
    const { latentDim: L } = tiny;
    for (const crossover of [1, 3, layers - 1]) {
      const r = request(layers, { crossover });
      const images = renderStyles(model, r);
      const [a, b] = [2, 1];
      const cell = tf.slice(images, MIX_A + MIX_B + a * MIX_B + b, 1);
      // The same cell from an explicit per-layer list: A's w on layers < crossover, B's after.
      const explicit = tf.tidy(() => {
        const wA = tf.slice(model.Gs.mapping(zOf(r.seed, MIX_A, L)), a, 1) as tf.Tensor2D;
        const wB = tf.slice(model.Gs.mapping(zOf(r.seed + 1000, MIX_B, L)), b, 1) as tf.Tensor2D;
        const ws = Array.from({ length: layers }, (_, i) => (i < crossover ? wA : wB));
        return tf.clipByValue(model.Gs.synthesis(ws, playgroundNoise(r, layers, 1)), -1, 1);
      });
      const diff = values(tf.abs(tf.sub(cell, explicit)));
      expect(Math.max(...diff)).toBeLessThan(1e-5);
      // Both sources contribute: the cell is neither A (row) nor B (column).
      expect(values(cell)).not.toEqual(values(tf.slice(images, a, 1)));
      expect(values(cell)).not.toEqual(values(tf.slice(images, MIX_A + b, 1)));
      tf.dispose([images, cell, explicit]);
    }
    model.dispose();
  });

  it('truncation with psi 0 gives the mean image on every sample, psi 1 the untouched ones', () => {
    const model = new StyleGan(tiny, new Rng(3));
    const layers = layerCount(tiny.imageSize);
    randomise(model.Gs.params, 8);
    const start = MIX_A + MIX_B + MIX_A * MIX_B;
    const row = (r: StyleRequest) => tf.tidy(() => tf.slice(renderStyles(model, r), start, WALK));
    const untouched = row(request(layers, { truncTo: 0 }));
    const psi1 = row(request(layers, { psi: 1 }));
    expect(values(psi1)).toEqual(values(untouched));
    const r0 = request(layers, { psi: 0 });
    const psi0 = row(r0);
    // The mean image, built apart: G_ema at w_avg on every layer, with the same noise maps.
    const meanImage = tf.tidy(() => {
      const w = tf.reshape(model.Gs.wAvg, [1, -1]) as tf.Tensor2D;
      const ws = Array.from({ length: layers }, () => w);
      return tf.clipByValue(model.Gs.synthesis(ws, playgroundNoise(r0, layers, 1)), -1, 1);
    });
    const rows = tf.split(psi0, WALK);
    for (const image of rows) {
      expect(Math.max(...values(tf.abs(tf.sub(image, meanImage))))).toBeLessThan(1e-5);
    }
    expect(values(psi0)).not.toEqual(values(untouched));
    tf.dispose([untouched, psi1, psi0, meanImage, ...rows]);
    model.dispose();
  });

  it('renders without leaking tensors', () => {
    const model = new StyleGan(tiny, new Rng(3));
    const layers = layerCount(tiny.imageSize);
    renderStyles(model, request(layers)).dispose();
    const before = tf.memory().numTensors;
    renderStyles(model, request(layers, { psi: 0.3, noiseLayer: 2 })).dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('resumes exactly from a full bundle: 2 steps, save, load, 2 steps = 4 steps', async () => {
    const config = { kind: 'stylegan', seed: 5, model: tiny } as ExperimentConfig;
    const build = async (c: ExperimentConfig) => createExperiment(c);
    const train = (e: Awaited<ReturnType<typeof build>>, n: number) => {
      for (let i = 0; i < n; i++) e.step('both').losses.dispose();
    };
    const straight = await build(config);
    train(straight, 4);
    const first = await build(config);
    train(first, 2);
    const run = { config, step: 2, name: 'resume' };
    const { bytes } = await snapshotExperiment(first, run, 'full', (t) => t.data());
    first.dispose();
    const { experiment: resumed } = await experimentFromBundle(bytes, build);
    train(resumed, 2);
    const weights = (e: typeof straight) => {
      const { generators, others } = e.networks();
      return [...generators, ...others].flatMap((p) =>
        [...p.named()].map(([n, v]) => [n, values(v)] as const),
      );
    };
    expect(weights(resumed)).toEqual(weights(straight));
    straight.dispose();
    resumed.dispose();
  });
});
