/** A set of square RGB images with 0/1 labels: the toy faces, or an uploaded data set. */
export interface LabelledImages {
  readonly count: number;
  readonly size: number;
  readonly labelNames: readonly string[];
  /** size x size x 3 values in [-1, 1]. */
  image(index: number): Float32Array;
  label(index: number): Float32Array;
}

/**
 * Copies the images at `indices` into one batch, mirroring those with `flip` set (as the
 * reference's RandomHorizontalFlip), with their labels.
 */
export function gatherImages(
  set: LabelledImages,
  indices: readonly number[],
  flip?: readonly boolean[],
) {
  const { size } = set;
  const n = size * size * 3;
  const width = set.labelNames.length;
  const images = new Float32Array(indices.length * n);
  const labels = new Float32Array(indices.length * width);
  indices.forEach((index, i) => {
    const source = set.image(index);
    if (flip?.[i]) {
      for (let row = 0; row < size; row++) {
        for (let col = 0; col < size; col++) {
          const from = (row * size + (size - 1 - col)) * 3;
          images.set(source.subarray(from, from + 3), i * n + (row * size + col) * 3);
        }
      }
    } else {
      images.set(source, i * n);
    }
    labels.set(set.label(index), i * width);
  });
  return { images, labels };
}
