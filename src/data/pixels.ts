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
