import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

// src/test/setup.ts registers the kernels under test; the references here are plain loops.

const shapeSize = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const values = (n: number, seed: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 3);

/** The multi-index of flat index i in `shape`. */
function indexOf(i: number, shape: number[]): number[] {
  const loc = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    loc[k] = i % shape[k]!;
    i = Math.floor(i / shape[k]!);
  }
  return loc;
}

function flatOf(loc: number[], shape: number[]): number {
  return loc.reduce((flat, v, k) => flat * shape[k]! + v, 0);
}

/** NumPy broadcasting by hand: each operand read at the output's index, clamped where size 1. */
function naiveBinary(op: (a: number, b: number) => number, a: number[], b: number[]) {
  const rank = Math.max(a.length, b.length);
  const pa = [...new Array<number>(rank - a.length).fill(1), ...a];
  const pb = [...new Array<number>(rank - b.length).fill(1), ...b];
  const out = pa.map((d, k) => Math.max(d, pb[k]!));
  const av = values(shapeSize(a), 1);
  const bv = values(shapeSize(b), 2);
  const result = new Float32Array(shapeSize(out));
  for (let i = 0; i < result.length; i++) {
    const loc = indexOf(i, out);
    const ai = flatOf(
      loc.map((v, k) => (pa[k] === 1 ? 0 : v)),
      pa,
    );
    const bi = flatOf(
      loc.map((v, k) => (pb[k] === 1 ? 0 : v)),
      pb,
    );
    result[i] = op(av[ai]!, bv[bi]!);
  }
  return { out, result, av, bv };
}

const PAIRS: [number[], number[]][] = [
  [
    [2, 3, 4, 5],
    [2, 1, 1, 5],
  ],
  [
    [2, 1, 1, 5],
    [2, 3, 4, 5],
  ],
  [[2, 3, 4, 5], [5]],
  [
    [3, 1],
    [1, 4],
  ],
  [
    [2, 3, 4],
    [2, 3, 4],
  ],
  [[], [3, 2]],
  [[4, 1, 3], []],
  [[], []],
  [
    [1, 3, 1, 2, 1],
    [2, 1, 4, 1, 3],
  ],
];

describe('CPU broadcast kernels', () => {
  const ops = [
    ['add', tf.add, (a: number, b: number) => a + b],
    ['sub', tf.sub, (a: number, b: number) => a - b],
    ['mul', tf.mul, (a: number, b: number) => a * b],
    ['div', tf.div, (a: number, b: number) => a / b],
  ] as const;
  for (const [name, tfOp, op] of ops) {
    it.each(PAIRS)(`${name} of %j and %j broadcasts as NumPy does`, (a, b) => {
      const { out, result, av, bv } = naiveBinary(op, a, b);
      const y = tfOp(tf.tensor(av, a), tf.tensor(bv, b));
      expect(y.shape).toEqual(out);
      expect(Array.from(y.dataSync())).toEqual(Array.from(result));
      y.dispose();
    });
  }

  it('leaves int32 to the stock kernels', () => {
    const y = tf.sub(tf.tensor([[5, 7]], [1, 2], 'int32'), tf.tensor([[1], [2]], [2, 1], 'int32'));
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([4, 6, 3, 5]);
  });

  const REDUCTIONS: [number[], number[]][] = [
    [
      [2, 3, 4, 5],
      [1, 2],
    ],
    [[2, 3, 4, 5], [3]],
    [[2, 3, 4, 5], [0]],
    [
      [2, 3, 4, 5],
      [0, 1, 2, 3],
    ],
    [
      [2, 3, 4, 5],
      [0, 3],
    ],
    [[7], [0]],
    [[3, 4], []],
  ];
  it.each(REDUCTIONS)('sum and mean of %j over %j, kept dims or not', (shape, axes) => {
    const x = values(shapeSize(shape), 3);
    const out = shape.map((d, k) => (axes.includes(k) ? 1 : d));
    const sums = new Float64Array(shapeSize(out));
    for (let i = 0; i < x.length; i++) {
      const loc = indexOf(i, shape).map((v, k) => (axes.includes(k) ? 0 : v));
      const at = flatOf(loc, out);
      sums[at] = sums[at]! + x[i]!;
    }
    const count = axes.reduce((n, k) => n * shape[k]!, 1);
    const t = tf.tensor(x, shape);
    for (const keepDims of [true, false]) {
      const shapeOut = keepDims ? out : shape.filter((_, k) => !axes.includes(k));
      const sum = tf.sum(t, axes, keepDims);
      const mean = tf.mean(t, axes, keepDims);
      expect(sum.shape).toEqual(shapeOut);
      expect(mean.shape).toEqual(shapeOut);
      const want = Array.from(sums, (s) => Math.fround(s));
      expect(Array.from(sum.dataSync())).toEqual(want);
      expect(Array.from(mean.dataSync())).toEqual(Array.from(sums, (s) => Math.fround(s / count)));
      tf.dispose([sum, mean]);
    }
    t.dispose();
  });

  it('reduces int32 with the stock kernels', () => {
    const s = tf.sum(
      tf.tensor(
        [
          [1, 2],
          [3, 4],
        ],
        [2, 2],
        'int32',
      ),
      0,
    );
    expect(s.dtype).toBe('int32');
    expect(Array.from(s.dataSync())).toEqual([4, 6]);
  });
});
