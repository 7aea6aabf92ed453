/** Images in [-1, 1], HWC, back to displayable RGBA bytes (alpha 255). */
export function toRgba(
  values: ArrayLike<number>,
  pixelCount: number,
  offset = 0,
): Uint8ClampedArray {
  const out = new Uint8ClampedArray(pixelCount * 4);
  for (let p = 0; p < pixelCount; p++) {
    for (let c = 0; c < 3; c++) out[p * 4 + c] = (values[offset + p * 3 + c]! + 1) * 127.5;
    out[p * 4 + 3] = 255;
  }
  return out;
}

/** A colour as 0-255 channels. */
export type Rgb = readonly [number, number, number];

/**
 * Rasterises `shade(u, v)` (u, v in [0, 1] across and down) into `out` at `offset`: size x size
 * x 3 values in [-1, 1], HWC, each pixel the mean of a 2 x 2 grid of samples (anti-aliased edges
 * for the generated data sets).
 */
export function rasterise(
  shade: (u: number, v: number) => Rgb,
  size: number,
  out: Float32Array,
  offset = 0,
): void {
  const sub = [0.25, 0.75];
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const sy of sub) {
        for (const sx of sub) {
          const [cr, cg, cb] = shade((col + sx) / size, (row + sy) / size);
          r += cr;
          g += cg;
          b += cb;
        }
      }
      const i = offset + (row * size + col) * 3;
      out[i] = r / 510 - 1;
      out[i + 1] = g / 510 - 1;
      out[i + 2] = b / 510 - 1;
    }
  }
}
