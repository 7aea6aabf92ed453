import type { Rng } from '../core/random';

export const DATASETS_2D = ['ring', 'grid', 'spiral', 'moons'] as const;
export type Dataset2d = (typeof DATASETS_2D)[number];

/** A mixture whose components the quality metrics can count: mode centres and their spread. */
export interface Modes {
  readonly centres: readonly (readonly [number, number])[];
  readonly std: number;
}

export interface Distribution2d {
  readonly name: Dataset2d;
  readonly label: string;
  /** Square view window [-extent, extent]^2 that holds essentially all the mass. */
  readonly extent: number;
  /** Present for mixtures of Gaussians (ring, grid), where mode coverage is defined. */
  readonly modes: Modes | null;
  /** Fills n points, interleaved [x0, y0, x1, y1, ...]. */
  sample(n: number, rng: Rng): Float32Array;
}

function mixture(centres: [number, number][], std: number) {
  return (n: number, rng: Rng): Float32Array => {
    const out = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const [cx, cy] = centres[rng.int(centres.length)]!;
      out[2 * i] = cx + std * rng.normal();
      out[2 * i + 1] = cy + std * rng.normal();
    }
    return out;
  };
}

// Ring of 8 (radius 2) and 5x5 grid follow the mode-collapse benchmarks of Unrolled GAN and
// VEEGAN, with the spread widened so the modes stay visible on a small canvas.
const ringCentres: [number, number][] = Array.from({ length: 8 }, (_, k) => [
  2 * Math.cos((2 * Math.PI * k) / 8),
  2 * Math.sin((2 * Math.PI * k) / 8),
]);
const gridCentres: [number, number][] = [];
for (let i = -2; i <= 2; i++) for (let j = -2; j <= 2; j++) gridCentres.push([i, j]);

const RING_STD = 0.1;
const GRID_STD = 0.05;

function spiral(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    // sqrt makes the density along the arm roughly uniform per unit length.
    const t = Math.sqrt(rng.uniform());
    const angle = t * 3.5 * Math.PI;
    const radius = 0.3 + 2.2 * t;
    out[2 * i] = radius * Math.cos(angle) + 0.05 * rng.normal();
    out[2 * i + 1] = radius * Math.sin(angle) + 0.05 * rng.normal();
  }
  return out;
}

function moons(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const angle = Math.PI * rng.uniform();
    const upper = rng.uniform() < 0.5;
    // Two interleaved half circles, centred on the origin and scaled to the shared window.
    const x = upper ? Math.cos(angle) : 1 - Math.cos(angle);
    const y = upper ? Math.sin(angle) : 0.5 - Math.sin(angle);
    out[2 * i] = 1.5 * (x - 0.5) + 0.1 * rng.normal();
    out[2 * i + 1] = 1.5 * (y - 0.25) + 0.1 * rng.normal();
  }
  return out;
}

export const DISTRIBUTIONS_2D: Record<Dataset2d, Distribution2d> = {
  ring: {
    name: 'ring',
    label: 'Ring of 8 Gaussians',
    extent: 3,
    modes: { centres: ringCentres, std: RING_STD },
    sample: mixture(ringCentres, RING_STD),
  },
  grid: {
    name: 'grid',
    label: '5 × 5 grid',
    extent: 3,
    modes: { centres: gridCentres, std: GRID_STD },
    sample: mixture(gridCentres, GRID_STD),
  },
  spiral: { name: 'spiral', label: 'Spiral', extent: 3, modes: null, sample: spiral },
  moons: { name: 'moons', label: 'Two moons', extent: 3, modes: null, sample: moons },
};
