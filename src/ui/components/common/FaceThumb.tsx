import { useEffect, useRef } from 'react';
import { toRgba } from '../../../data/pixels';

/** One face in [-1, 1] drawn at `cell` pixels, for pickers and input rows. */
export function FaceThumb({
  pixels,
  cell,
}: {
  readonly pixels: Float32Array;
  readonly cell: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    const ctx = element?.getContext('2d');
    if (!element || !ctx) return;
    const size = Math.round(Math.sqrt(pixels.length / 3));
    const tile = new OffscreenCanvas(size, size);
    tile
      .getContext('2d')!
      .putImageData(
        new ImageData(toRgba(pixels, size * size) as Uint8ClampedArray<ArrayBuffer>, size, size),
        0,
        0,
      );
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(tile, 0, 0, cell, cell);
  }, [pixels, cell]);
  return <canvas ref={canvas} width={cell} height={cell} />;
}
