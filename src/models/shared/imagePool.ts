import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../core/random';

/** What a checkpoint keeps of a pool: its counters (the images go in its buffer variable). */
export interface PoolCounters {
  readonly fill: number;
  readonly queried: number;
  readonly reused: number;
}

/**
 * junyanz's ImagePool (util/image_pool.py; Shrivastava et al. 2017): D is shown a history of
 * generated images rather than only the latest G's. Image by image: until `size` are stored,
 * store and return the new one; afterwards, with p = 0.5 return a random stored image and store
 * the new one in its place, else return the new one. Size 0 turns the pool off.
 *
 * With a `buffer` variable ([size, h, w, c], saved with the weights), `save()` copies the stored
 * images into it and `load()` reads them back, so a resumed run continues exactly.
 */
export class ImagePool {
  private images: tf.Tensor4D[] = [];
  /** Queries so far, and how many of their images came from the store (for the page). */
  private queried = 0;
  private reused = 0;

  constructor(
    readonly size: number,
    private readonly rng: Rng,
    private readonly buffer: tf.Variable | null = null,
  ) {}

  /** Copies the stored images into the buffer variable (before its values are saved). */
  save(): void {
    if (!this.buffer || this.images.length === 0) return;
    const buffer = this.buffer;
    tf.tidy(() => {
      const rest = this.size - this.images.length;
      const parts: tf.Tensor[] = [...this.images];
      if (rest > 0) parts.push(tf.zeros([rest, ...buffer.shape.slice(1)]));
      buffer.assign(tf.concat(parts));
    });
  }

  counters(): PoolCounters {
    return { fill: this.images.length, queried: this.queried, reused: this.reused };
  }

  /** Takes the first `counters.fill` images of the buffer (just restored) as the stored ones. */
  load(counters: PoolCounters): void {
    if (counters.fill > 0 && (!this.buffer || counters.fill > this.size)) {
      throw new Error(`This pool holds at most ${this.buffer ? this.size : 0} saved images`);
    }
    tf.dispose(this.images);
    const buffer = this.buffer;
    this.images = buffer
      ? Array.from(
          { length: counters.fill },
          (_, i) => tf.slice(buffer as tf.Tensor, [i, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D,
        )
      : [];
    this.queried = counters.queried;
    this.reused = counters.reused;
  }

  /** The batch D trains on: each image either the new one or a stored one (caller owns it). */
  query(batch: tf.Tensor4D): tf.Tensor4D {
    if (this.size === 0) return tf.clone(batch);
    const n = batch.shape[0];
    const out: tf.Tensor4D[] = [];
    for (let i = 0; i < n; i++) {
      const image = tf.keep(tf.slice(batch, [i, 0, 0, 0], [1, -1, -1, -1]));
      this.queried++;
      if (this.images.length < this.size) {
        this.images.push(image);
        out.push(image);
      } else if (this.rng.uniform() > 0.5) {
        // random.randint(0, pool_size - 1) is inclusive: any stored image.
        const k = this.rng.int(this.size);
        out.push(this.images[k]!);
        this.images[k] = image;
        this.reused++;
      } else {
        out.push(image);
      }
    }
    const result = tf.concat(out) as tf.Tensor4D;
    // Disposes the images returned that are no longer stored (swapped out, or passed through).
    for (const image of out) if (!this.images.includes(image)) image.dispose();
    return result;
  }

  /** Stored images and the share of returned images that came from the store so far. */
  stats(): { readonly fill: number; readonly reuseRate: number } {
    return {
      fill: this.images.length,
      reuseRate: this.queried === 0 ? 0 : this.reused / this.queried,
    };
  }

  dispose(): void {
    tf.dispose(this.images);
    this.images.length = 0;
  }
}
