/**
 * Coloured shapes: a circle, a square or a triangle of random colour, size, position and
 * rotation on a plain background of another colour. A second built-in image set for the
 * unconditional GANs, with structure (edges, flat colour regions) unlike the faces. Seeded
 * and computed pixel by pixel, as the faces are.
 */
import type { Rng } from '../core/random';
import type { FaceSize } from './faces';

export const SHAPES = ['circle', 'square', 'triangle'] as const;

interface ShapeParams {
  readonly kind: number;
  readonly cx: number;
  readonly cy: number;
  readonly radius: number;
  readonly angle: number;
  readonly colour: readonly [number, number, number];
  readonly background: readonly [number, number, number];
}

function hue(h: number, s: number, l: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h * 12) % 12;
    return l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [f(0), f(8), f(4)];
}

function randomShape(rng: Rng): ShapeParams {
  const h = rng.uniform();
  return {
    kind: rng.int(SHAPES.length),
    cx: 0.35 + 0.3 * rng.uniform(),
    cy: 0.35 + 0.3 * rng.uniform(),
    radius: 0.18 + 0.12 * rng.uniform(),
    angle: rng.uniform() * 2 * Math.PI,
    colour: hue(h, 0.8, 0.5),
    // The background's hue is at least a third of the wheel away, so the shape stands out.
    background: hue((h + 0.33 + 0.33 * rng.uniform()) % 1, 0.3, 0.85),
  };
}

function inside(p: ShapeParams, u: number, v: number): boolean {
  const dx = u - p.cx;
  const dy = v - p.cy;
  const x = dx * Math.cos(p.angle) + dy * Math.sin(p.angle);
  const y = -dx * Math.sin(p.angle) + dy * Math.cos(p.angle);
  switch (SHAPES[p.kind]) {
    case 'circle':
      return x * x + y * y < p.radius * p.radius;
    case 'square':
      return Math.abs(x) < p.radius * 0.8 && Math.abs(y) < p.radius * 0.8;
    default: {
      // Equilateral triangle with circumradius `radius`, one vertex up.
      const r = p.radius;
      return y < r / 2 && Math.sqrt(3) * x - y < r && -Math.sqrt(3) * x - y < r;
    }
  }
}

/** count x size x size x 3 images in [-1, 1] (2 x 2 supersampled). */
export function shapesDataset(count: number, size: FaceSize, rng: Rng): Float32Array {
  const out = new Float32Array(count * size * size * 3);
  const sub = [0.25, 0.75];
  for (let i = 0; i < count; i++) {
    const p = randomShape(rng);
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        let covered = 0;
        for (const sy of sub)
          for (const sx of sub) covered += Number(inside(p, (col + sx) / size, (row + sy) / size));
        const t = covered / 4;
        const o = ((i * size + row) * size + col) * 3;
        for (let c = 0; c < 3; c++)
          out[o + c] = 2 * (t * p.colour[c]! + (1 - t) * p.background[c]!) - 1;
      }
    }
  }
  return out;
}
