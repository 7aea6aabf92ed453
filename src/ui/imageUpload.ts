/**
 * The centred square a photo is cropped to. 'square': the largest. 'celeba': the StarGAN
 * reference's test transform for CelebA (solver's CenterCrop(178) then Resize(128) on the
 * aligned 178 x 218 photos), i.e. a 178 px square on a 178 x 218 photo, and on any other
 * photo the square of the same proportion (side min(width, height x 178 / 218)).
 */
export function cropSquare(width: number, height: number, crop: 'square' | 'celeba') {
  const side =
    crop === 'celeba' ? Math.min(width, height, (height * 178) / 218) : Math.min(width, height);
  return { x: (width - side) / 2, y: (height - side) / 2, side };
}

/**
 * Turns a user's image file into a model input: a centred square (see cropSquare), resized to
 * the model's size, scaled to [-1, 1]. Decoding uses the browser's own image decoders.
 */
export async function faceFromFile(
  file: File,
  size: number,
  crop: 'square' | 'celeba' = 'square',
): Promise<Float32Array> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(
      `“${file.name}” is not an image this browser can read (PNG, JPEG or WebP work).`,
    );
  }
  const { x, y, side } = cropSquare(bitmap.width, bitmap.height, crop);
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw images off screen.');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, x, y, side, side, 0, 0, size, size);
  bitmap.close();
  const { data } = ctx.getImageData(0, 0, size, size);
  const pixels = new Float32Array(size * size * 3);
  for (let p = 0; p < size * size; p++) {
    for (let c = 0; c < 3; c++) pixels[p * 3 + c] = data[p * 4 + c]! / 127.5 - 1;
  }
  return pixels;
}
