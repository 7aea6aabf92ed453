/**
 * Turns a user's image file into a model input: the largest centred square, resized to the
 * model's size, scaled to [-1, 1]. Decoding uses the browser's own image decoders.
 */
export async function faceFromFile(file: File, size: number): Promise<Float32Array> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(
      `“${file.name}” is not an image this browser can read (PNG, JPEG or WebP work).`,
    );
  }
  const side = Math.min(bitmap.width, bitmap.height);
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw images off screen.');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(
    bitmap,
    (bitmap.width - side) / 2,
    (bitmap.height - side) / 2,
    side,
    side,
    0,
    0,
    size,
    size,
  );
  bitmap.close();
  const { data } = ctx.getImageData(0, 0, size, size);
  const pixels = new Float32Array(size * size * 3);
  for (let p = 0; p < size * size; p++) {
    for (let c = 0; c < 3; c++) pixels[p * 3 + c] = data[p * 4 + c]! / 127.5 - 1;
  }
  return pixels;
}
