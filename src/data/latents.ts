/** Latent vectors for the explorer: seeded draws and the two classic interpolations. */
import { Rng } from '../core/random';

/** `count` vectors of z ~ N(0, I), the same for the same seed. */
export function latentBatch(seed: number, count: number, dim: number): Float32Array[] {
  const rng = new Rng(`latents-${seed}`);
  return Array.from({ length: count }, () => rng.normalArray(dim));
}

export function lerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  return a.map((v, i) => (1 - t) * v + t * b[i]!);
}

/**
 * Spherical interpolation (Shoemake 1985; White 2016 for GAN latents): follows the great circle
 * between a and b, so intermediate vectors keep the norm typical of Gaussian samples, which a
 * straight line through the origin's neighbourhood does not.
 */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  const omega = Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb))));
  if (omega < 1e-6) return lerp(a, b, t);
  const sa = Math.sin((1 - t) * omega) / Math.sin(omega);
  const sb = Math.sin(t * omega) / Math.sin(omega);
  return a.map((v, i) => sa * v + sb * b[i]!);
}
