import seedrandom from 'seedrandom';

/** Alea's own state plus the second Box-Muller value, so a restored stream continues exactly. */
export interface RngState {
  readonly alea: seedrandom.State.Alea;
  readonly spareNormal: number | null;
}

/**
 * The one source of randomness for weights, data and noise. Alea is fast, has a small
 * serialisable state (so a saved run can resume its random stream exactly) and gives the
 * same sequence in Node, a worker and every browser, unlike Math.random or TF.js's kernels.
 */
export class Rng {
  private prng: seedrandom.StatefulPRNG<seedrandom.State.Alea>;
  private spareNormal: number | null = null;

  constructor(seed: number | string, state?: RngState) {
    this.prng = seedrandom.alea(String(seed), { state: true });
    if (state) this.restore(state);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.prng();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  /** Standard normal, by the Box-Muller transform (the second value is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const value = this.spareNormal;
      this.spareNormal = null;
      return value;
    }
    let u = 0;
    while (u === 0) u = this.prng();
    const v = this.prng();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  normalArray(length: number, std = 1): Float32Array {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = this.normal() * std;
    return out;
  }

  uniformArray(length: number, low: number, high: number): Float32Array {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = low + (high - low) * this.prng();
    return out;
  }

  /** A child generator whose stream does not depend on how much of this one is used later. */
  fork(label: string): Rng {
    return new Rng(`${this.prng.int32()}:${label}`);
  }

  /** Snapshot for exact resume. */
  state(): RngState {
    return { alea: this.prng.state(), spareNormal: this.spareNormal };
  }

  restore(state: RngState): void {
    this.prng = seedrandom.alea('', { state: state.alea });
    this.spareNormal = state.spareNormal;
  }
}
