/**
 * Toy animal faces in the role of AFHQ for StarGAN v2: three domains (cat, dog, wild) that
 * differ in ear shape and muzzle, rich style inside each domain (fur colour, fur pattern, eye
 * colour: what a style code carries) and content a translation must keep (where the head is,
 * how big, and which way it turns). The generator returns every image's labels, so the quality
 * figures can read domain, content and style back. Pixels are computed in TypeScript: a seed
 * gives the same images in Node, a worker and every browser.
 */
import type { Rng } from '../core/random';
import type { LabelledImages } from './labelledImages';
import { type Rgb, rasterise } from './pixels';

/** AFHQ's domains, in its folder order. */
export const ANIMAL_DOMAINS = ['cat', 'dog', 'wild'] as const;
export const FUR_PATTERNS = ['plain', 'stripes', 'spots'] as const;
export const EYE_COLOURS = ['green', 'blue', 'amber'] as const;
export const ANIMAL_SIZES = [16, 32, 64] as const;
export type AnimalSize = (typeof ANIMAL_SIZES)[number];

/** What the translation must keep. Units: the image side. */
export interface AnimalContent {
  readonly cx: number;
  readonly cy: number;
  /** The head's radius. */
  readonly size: number;
  /** Head turn in [-1, 1]: eyes and muzzle shift this share of 0.3 radii sideways. */
  readonly yaw: number;
}

/** What a style code carries. */
export interface AnimalStyle {
  /** Fur colour, RGB in [0, 255]. */
  readonly fur: Rgb;
  /** Index into FUR_PATTERNS. */
  readonly pattern: number;
  /** Index into EYE_COLOURS. */
  readonly eyes: number;
}

export interface AnimalParams extends AnimalContent, AnimalStyle {
  /** Index into ANIMAL_DOMAINS. */
  readonly domain: number;
  readonly background: Rgb;
}

const EYE_RGB: readonly Rgb[] = [
  [70, 170, 60],
  [60, 120, 220],
  [220, 150, 30],
];
const PUPIL: Rgb = [15, 15, 20];
const NOSE: readonly Rgb[] = [
  [230, 120, 140],
  [30, 25, 25],
  [40, 30, 30],
];
const WHITE: Rgb = [245, 240, 232];

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];

function hsl(h: number, s: number, l: number): Rgb {
  const f = (n: number) => {
    const k = (n + h * 12) % 12;
    return 255 * (l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
  };
  return [f(0), f(8), f(4)];
}

/** Draws one animal of `domain`: content, style and background independently. */
export function randomAnimal(rng: Rng, domain: number): AnimalParams {
  return {
    domain,
    cx: 0.5 + 0.16 * (rng.uniform() - 0.5),
    cy: 0.54 + 0.12 * (rng.uniform() - 0.5),
    size: 0.25 + 0.08 * rng.uniform(),
    yaw: 2 * rng.uniform() - 1,
    // Fur from black through browns, oranges and greys to cream: hue, saturation and lightness.
    fur: hsl(0.02 + 0.12 * rng.uniform(), 0.15 + 0.65 * rng.uniform(), 0.18 + 0.62 * rng.uniform()),
    pattern: rng.int(FUR_PATTERNS.length),
    eyes: rng.int(EYE_COLOURS.length),
    background: hsl(0.35 + 0.3 * rng.uniform(), 0.25, 0.82 + 0.1 * rng.uniform()),
  };
}

/** Colour at (u, v) in [0, 1]^2, v pointing down; later layers paint over earlier ones. */
function shade(p: AnimalParams, u: number, v: number): Rgb {
  const r = p.size;
  // Head-relative coordinates: the head is the unit disc.
  const x = (u - p.cx) / r;
  const y = (v - p.cy) / r;
  const turn = 0.3 * p.yaw;
  let colour: Rgb = p.background;
  const darkFur = mix(p.fur, [20, 15, 10], 0.55);

  // Ears behind the head: the domain's main sign.
  for (const side of [-1, 1]) {
    const ex = side * x;
    if (p.domain === 0) {
      // Cat: a short, wide, pointed triangle.
      const t = (y + 1.35) / 0.75;
      if (t > 0 && t < 1 && Math.abs(ex - 0.62) < 0.32 * t) colour = p.fur;
    } else if (p.domain === 2) {
      // Wild: a tall, narrow ear with a dark tip.
      const t = (y + 1.75) / 1.05;
      if (t > 0 && t < 1 && Math.abs(ex - 0.55) < 0.24 * t) colour = t < 0.35 ? darkFur : p.fur;
    }
  }
  if (x * x + y * y < 1) colour = p.fur;
  if (p.domain === 1) {
    // Dog: long floppy ears hanging at the sides, over the head's edge.
    for (const side of [-1, 1]) {
      const dx = (side * x - 0.95) / 0.3;
      const dy = (y - 0.15) / 0.8;
      if (dx * dx + dy * dy < 1) colour = darkFur;
    }
  }

  // Fur pattern on the head (inside the disc, away from the muzzle).
  if (x * x + y * y < 1) {
    if (p.pattern === 1 && y < 0.1 && Math.abs(Math.sin((x - turn) * 9)) > 0.8) colour = darkFur;
    if (p.pattern === 2) {
      const sx = (((x + 2) * 3.2) % 1) - 0.5;
      const sy = (((y + 2) * 3.2) % 1) - 0.5;
      if (sx * sx + sy * sy < 0.06 && y < 0.2) colour = darkFur;
    }
  }

  // Muzzle: white for wild, lighter fur for the dog's long snout, a small one for the cat.
  const mx = x - turn;
  if (p.domain === 2) {
    if (y > 0.05 && Math.abs(mx) < 0.75 * (1 - (y - 0.05) / 1.0) + 0.15 && x * x + y * y < 1) {
      colour = WHITE;
    }
  } else {
    const [w, h, c] = p.domain === 1 ? [0.45, 0.42, 0.45] : [0.3, 0.22, 0.42];
    const dx = mx / w;
    const dy = (y - c) / h;
    if (dx * dx + dy * dy < 1) colour = mix(p.fur, WHITE, 0.55);
  }
  // Nose.
  const nx = mx / (p.domain === 0 ? 0.1 : 0.16);
  const ny = (y - (p.domain === 1 ? 0.3 : 0.3)) / 0.09;
  if (nx * nx + ny * ny < 1) colour = NOSE[p.domain]!;

  // Eyes: the iris carries the eye colour, the pupil is a slit for the cat.
  for (const side of [-1, 1]) {
    const ex = (x - turn - side * 0.38) / 0.17;
    const ey = (y + 0.15) / 0.17;
    if (ex * ex + ey * ey < 1) {
      colour = EYE_RGB[p.eyes]!;
      const pupil = p.domain === 0 ? Math.abs(ex) < 0.3 : ex * ex + ey * ey < 0.3;
      if (pupil) colour = PUPIL;
    }
  }
  return colour;
}

/** Renders into `out` at `offset` (size * size * 3 values in [-1, 1], HWC, 2x2 supersampled). */
export function renderAnimal(p: AnimalParams, size: number, out: Float32Array, offset = 0): void {
  rasterise((u, v) => shade(p, u, v), size, out, offset);
}

/**
 * The attributes the quality reader learns to read, in this order: the domain (one-hot), the
 * content (cx, cy, size, yaw) and the style (fur RGB in [-1, 1], pattern one-hot, eyes one-hot).
 */
export const READ_ATTRIBUTES = {
  domain: { offset: 0, size: 3 },
  content: { offset: 3, size: 4 },
  fur: { offset: 7, size: 3 },
  pattern: { offset: 10, size: 3 },
  eyes: { offset: 13, size: 3 },
} as const;
export const READ_WIDTH = 16;

export function attributeVector(p: AnimalParams): number[] {
  const oneHot = (k: number, n: number) => Array.from({ length: n }, (_, i) => Number(i === k));
  return [
    ...oneHot(p.domain, 3),
    p.cx,
    p.cy,
    p.size,
    p.yaw,
    ...p.fur.map((c) => c / 127.5 - 1),
    ...oneHot(p.pattern, 3),
    ...oneHot(p.eyes, 3),
  ];
}

/**
 * A fixed, seeded set of animals, `perDomain` of each domain in turn, labelled with its domain
 * (one-hot, as the image import labels one folder per domain) for training.
 */
export class AnimalDataset implements LabelledImages {
  readonly images: Float32Array;
  readonly labels: Float32Array;
  readonly labelNames: readonly string[] = ANIMAL_DOMAINS;
  readonly params: readonly AnimalParams[];
  readonly count: number;

  constructor(
    readonly perDomain: number,
    readonly size: number,
    rng: Rng,
  ) {
    this.count = perDomain * ANIMAL_DOMAINS.length;
    const pixels = size * size * 3;
    this.images = new Float32Array(this.count * pixels);
    this.labels = new Float32Array(this.count * ANIMAL_DOMAINS.length);
    const params: AnimalParams[] = [];
    for (let i = 0; i < this.count; i++) {
      const animal = randomAnimal(rng, i % ANIMAL_DOMAINS.length);
      params.push(animal);
      renderAnimal(animal, size, this.images, i * pixels);
      this.labels[i * ANIMAL_DOMAINS.length + animal.domain] = 1;
    }
    this.params = params;
  }

  image(index: number): Float32Array {
    const n = this.size * this.size * 3;
    return this.images.subarray(index * n, (index + 1) * n);
  }

  label(index: number): Float32Array {
    const n = ANIMAL_DOMAINS.length;
    return this.labels.subarray(index * n, (index + 1) * n);
  }

  domain(index: number): number {
    return this.params[index]!.domain;
  }
}
