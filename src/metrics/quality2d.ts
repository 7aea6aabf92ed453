import type { Modes } from '../data/toy2d';

export interface ModeQuality {
  /** Modes holding at least a fifth of their fair share of high-quality samples. */
  readonly modesCovered: number;
  readonly modesTotal: number;
  /** Share of samples within 3 standard deviations of their nearest mode. */
  readonly highQualityShare: number;
}

/**
 * Mode coverage as in VEEGAN and PacGAN: each sample goes to its nearest mode and counts as
 * high quality within 3 std of it. A mode is covered when it holds at least 20% of the
 * samples it would get under the real distribution (N / K), so one stray point is not enough.
 */
export function modeQuality(points: Float32Array, modes: Modes): ModeQuality {
  const n = points.length / 2;
  const counts = new Array<number>(modes.centres.length).fill(0);
  const radius2 = (3 * modes.std) ** 2;
  let highQuality = 0;
  for (let i = 0; i < n; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    let best = -1;
    let bestDist2 = Number.POSITIVE_INFINITY;
    modes.centres.forEach(([cx, cy], k) => {
      const d2 = (x - cx) ** 2 + (y - cy) ** 2;
      if (d2 < bestDist2) {
        bestDist2 = d2;
        best = k;
      }
    });
    if (best >= 0 && bestDist2 <= radius2) {
      highQuality++;
      counts[best]!++;
    }
  }
  const threshold = (0.2 * n) / modes.centres.length;
  return {
    modesCovered: counts.filter((c) => c > 0 && c >= threshold).length,
    modesTotal: modes.centres.length,
    highQualityShare: n === 0 ? 0 : highQuality / n,
  };
}

/** Normalised 2D histogram on a bins x bins grid over [-extent, extent]^2; outliers are clamped. */
export function histogram2d(points: Float32Array, extent: number, bins: number): Float64Array {
  const hist = new Float64Array(bins * bins);
  const n = points.length / 2;
  const scale = bins / (2 * extent);
  const clampBin = (v: number) => Math.min(bins - 1, Math.max(0, Math.floor((v + extent) * scale)));
  for (let i = 0; i < n; i++) {
    hist[clampBin(points[2 * i + 1]!) * bins + clampBin(points[2 * i]!)]! += 1 / n;
  }
  return hist;
}

/**
 * Jensen-Shannon divergence in bits (0 = same histogram, 1 = disjoint support). Unlike KL it
 * stays finite when the generator leaves a real bin empty, which it always does early on.
 */
export function jsDivergence(p: Float64Array, q: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const qi = q[i]!;
    const m = 0.5 * (pi + qi);
    if (pi > 0) sum += 0.5 * pi * Math.log2(pi / m);
    if (qi > 0) sum += 0.5 * qi * Math.log2(qi / m);
  }
  return Math.max(0, sum);
}
