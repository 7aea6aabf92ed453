/**
 * Procedurally drawn cartoon faces, in the two roles StarGAN's paper gives its data sets:
 * "celeba" faces labelled with CelebA's Black_Hair, Blond_Hair, Brown_Hair, Male and Young,
 * and "rafd" faces labelled only with an expression (the label sets are disjoint, as
 * CelebA's and RaFD's are). Pixels are computed directly in TypeScript, so a seed gives the
 * same images in Node, a worker and every browser.
 *
 * What each attribute looks like: hair colour is the colour of the hair (and beard); Male has
 * short hair and a beard, not Male has long hair down to the jaw; not Young has forehead
 * wrinkles, eye bags and grey temples. The model must keep everything else: skin tone, face
 * width and height, position, eye shape, mouth width, background colour.
 */
import type { Rng } from '../core/random';
import type { LabelledImages } from './labelledImages';
import { type Rgb, rasterise } from './pixels';

export const FACE_ATTRIBUTES = ['Black_Hair', 'Blond_Hair', 'Brown_Hair', 'Male', 'Young'] as const;
export const EXPRESSIONS = ['Neutral', 'Happy', 'Sad', 'Surprised', 'Angry'] as const;
export const FACE_SIZES = [16, 32, 64] as const;
export type FaceSize = (typeof FACE_SIZES)[number];
export type FaceDatasetKind = 'celeba' | 'rafd';

export interface FaceParams {
  /** 0 black, 1 blond, 2 brown: the first three of FACE_ATTRIBUTES. */
  readonly hair: number;
  readonly male: boolean;
  readonly young: boolean;
  /** Index into EXPRESSIONS. */
  readonly expression: number;
  readonly skin: Rgb;
  readonly background: Rgb;
  /** Face centre and radii, in units of the image side. */
  readonly cx: number;
  readonly cy: number;
  readonly rx: number;
  readonly ry: number;
  /** Eye height relative to width: 0.5 narrow to 1.2 round. */
  readonly eyeRoundness: number;
  /** Mouth half-width as a share of the face's half-width. */
  readonly mouthWidth: number;
}

const HAIR_COLOURS: readonly Rgb[] = [
  [38, 30, 28],
  [236, 204, 112],
  [128, 78, 40],
];
const GREY: Rgb = [178, 178, 182];
const LIGHT_SKIN: Rgb = [255, 224, 196];
const DARK_SKIN: Rgb = [150, 95, 55];
const EYE: Rgb = [28, 28, 40];
const LIPS: Rgb = [150, 50, 55];

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

/** Draws the nuisance variables; the labelled ones come from `labels`. */
export function randomFace(
  rng: Rng,
  labels: { hair: number; male: boolean; young: boolean; expression: number },
): FaceParams {
  return {
    ...labels,
    skin: mix(LIGHT_SKIN, DARK_SKIN, rng.uniform()),
    background: hsl(rng.uniform(), 0.35 + 0.3 * rng.uniform(), 0.55 + 0.2 * rng.uniform()),
    cx: 0.5 + 0.06 * (rng.uniform() - 0.5),
    cy: 0.52 + 0.06 * (rng.uniform() - 0.5),
    rx: 0.24 + 0.06 * rng.uniform(),
    ry: 0.3 + 0.06 * rng.uniform(),
    eyeRoundness: 0.5 + 0.7 * rng.uniform(),
    mouthWidth: 0.3 + 0.2 * rng.uniform(),
  };
}

/** Distance from (u, v) to the segment a-b. */
function segmentDistance(u: number, v: number, a: [number, number], b: [number, number]): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const t = Math.max(0, Math.min(1, ((u - a[0]) * dx + (v - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(u - (a[0] + t * dx), v - (a[1] + t * dy));
}

/** Colour of the face image at (u, v) in [0, 1]^2, v pointing down; later layers paint over. */
function shade(p: FaceParams, u: number, v: number): Rgb {
  const hairColour = HAIR_COLOURS[p.hair]!;
  // Face-relative coordinates: the face ellipse is x^2 + y^2 < 1.
  const x = (u - p.cx) / p.rx;
  const y = (v - p.cy) / p.ry;
  const r2 = x * x + y * y;
  let colour: Rgb = mix(p.background, [255, 255, 255], 0.25 * (1 - v));

  // Hair: long behind the head down to the jaw (not Male), and a cap with a fringe that covers
  // more of the forehead than Male's short cut. Not Young greys it at the sides.
  const hx = x / 1.3;
  const hy = (y + 0.1) / 1.2;
  const longHair = !p.male && hx * hx + hy * hy < 1 && y < 0.75;
  const capLine = p.male ? -0.62 : -0.45 - 0.12 * Math.cos(x * 3);
  const cap = r2 < 1.16 && y < capLine;
  const hairHere = (p.young || Math.abs(x) < 0.5 ? hairColour : GREY) as Rgb;
  if (longHair) colour = hairHere;
  if (r2 < 1) colour = p.skin;
  if (p.male && r2 < 1 && y > 0.25 && !(Math.abs(x) < p.mouthWidth * 1.15 && y > 0.35 && y < 0.6)) {
    colour = mix(hairColour, p.skin, 0.15);
  }
  if (cap) colour = hairHere;
  if (!p.young) {
    // Forehead wrinkles and eye bags.
    const wrinkle = y > capLine + 0.08 && Math.abs(x) < 0.45;
    if (
      wrinkle &&
      (Math.abs(y - (capLine + 0.14)) < 0.035 || Math.abs(y - (capLine + 0.26)) < 0.035)
    ) {
      colour = mix(p.skin, [60, 35, 25], 0.55);
    }
    for (const side of [-1, 1]) {
      const bx = (x - side * 0.38) / 0.2;
      const by = (y + 0.0) / 0.07;
      if (bx * bx + by * by < 1 && y > -0.04) colour = mix(p.skin, [90, 55, 60], 0.45);
    }
  }

  // Eyebrows: the expression tilts them (inner end down = angry, up = sad, both up = surprised).
  const browTilt = [0, 0, -0.2, 0, 0.22][p.expression]!;
  const browLift = p.expression === 3 ? -0.16 : 0;
  for (const side of [-1, 1]) {
    const inner: [number, number] = [side * 0.14, -0.36 + browLift + browTilt];
    const outer: [number, number] = [side * 0.55, -0.38 + browLift - browTilt * 0.5];
    if (segmentDistance(x, y, inner, outer) < 0.07) colour = mix(hairColour, [20, 20, 20], 0.6);
  }
  for (const side of [-1, 1]) {
    const ex = (x - side * 0.36) / 0.13;
    const ey = (y + 0.16) / (0.13 * p.eyeRoundness * (p.expression === 3 ? 1.4 : 1));
    if (ex * ex + ey * ey < 1) colour = EYE;
  }
  colour = drawMouth(p, x, y, colour);
  return colour;
}

function drawMouth(p: FaceParams, x: number, y: number, colour: Rgb): Rgb {
  const w = p.mouthWidth;
  const mouthY = 0.48;
  if (Math.abs(x) > w) return colour;
  const t = x / w;
  switch (p.expression) {
    case 3: {
      // Surprised: an open oval.
      const ox = x / (w * 0.55);
      const oy = (y - mouthY) / 0.18;
      return ox * ox + oy * oy < 1 ? LIPS : colour;
    }
    case 1:
    case 2: {
      // Happy curves up at the corners, sad curves down.
      const bend = p.expression === 1 ? 0.22 : -0.22;
      const centre = mouthY + bend * (1 - t * t) - (p.expression === 1 ? 0.08 : -0.08);
      return Math.abs(y - centre) < 0.07 ? LIPS : colour;
    }
    default: {
      const thickness = p.expression === 4 ? 0.1 : 0.05;
      return Math.abs(y - mouthY) < thickness ? LIPS : colour;
    }
  }
}

/** Renders into `out` at `offset` (size * size * 3 values in [-1, 1], HWC, 2x2 supersampled). */
export function renderFace(p: FaceParams, size: number, out: Float32Array, offset = 0): void {
  rasterise((u, v) => shade(p, u, v), size, out, offset);
}

/**
 * A fixed, seeded set of faces with their labels, as StarGAN's data loaders provide. The faces
 * and labels are drawn at construction (so the seeded stream is consumed in a fixed order); the
 * pixels are painted when first read: a model loaded to play with never reads its 2,000
 * training faces, and painting them cost 2 s of a first visit.
 */
export class FaceDataset implements LabelledImages {
  /** count x labelNames.length, 0/1. */
  readonly labels: Float32Array;
  readonly labelNames: readonly string[];
  readonly params: readonly FaceParams[];
  private pixels: Float32Array | null = null;
  private readonly painted: Uint8Array;

  constructor(
    readonly kind: FaceDatasetKind,
    readonly count: number,
    /** Any size draws (FACE_SIZES are the image GANs' and the classifier's; StarGAN adds 128). */
    readonly size: FaceSize | 128,
    rng: Rng,
  ) {
    this.labelNames = kind === 'celeba' ? FACE_ATTRIBUTES : EXPRESSIONS;
    this.labels = new Float32Array(count * this.labelNames.length);
    this.painted = new Uint8Array(count);
    const params: FaceParams[] = [];
    for (let i = 0; i < count; i++) {
      const labels = {
        hair: rng.int(3),
        male: rng.uniform() < 0.5,
        young: rng.uniform() < 0.5,
        // The celeba set's expression is an unlabelled nuisance, as smiles are in CelebA.
        expression: kind === 'rafd' ? rng.int(EXPRESSIONS.length) : rng.int(2),
      };
      const face = randomFace(rng, labels);
      params.push(face);
      this.labels.set(labelVector(kind, face), i * this.labelNames.length);
    }
    this.params = params;
  }

  get pixelsPerImage(): number {
    return this.size * this.size * 3;
  }

  /** count x size x size x 3, values in [-1, 1]: every face, painted now if not yet. */
  get images(): Float32Array {
    for (let i = 0; i < this.count; i++) this.paint(i);
    return this.buffer();
  }

  image(index: number): Float32Array {
    this.paint(index);
    const n = this.pixelsPerImage;
    return this.buffer().subarray(index * n, (index + 1) * n);
  }

  private buffer(): Float32Array {
    this.pixels ??= new Float32Array(this.count * this.pixelsPerImage);
    return this.pixels;
  }

  private paint(index: number): void {
    if (this.painted[index]) return;
    renderFace(this.params[index]!, this.size, this.buffer(), index * this.pixelsPerImage);
    this.painted[index] = 1;
  }

  label(index: number): Float32Array {
    const n = this.labelNames.length;
    return this.labels.subarray(index * n, (index + 1) * n);
  }
}

export function labelVector(kind: FaceDatasetKind, face: FaceParams): number[] {
  if (kind === 'rafd') return EXPRESSIONS.map((_, k) => (k === face.expression ? 1 : 0));
  return [face.hair === 0, face.hair === 1, face.hair === 2, face.male, face.young].map(Number);
}
