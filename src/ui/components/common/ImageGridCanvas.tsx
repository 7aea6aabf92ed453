import { useEffect, useRef } from 'react';
import type { ImageGrid } from '../../../protocol/messages';
import type { AppState } from '../../store/store';
import { useAppStore } from '../../store/store';

interface ImageGridCanvasProps {
  readonly select: (state: AppState) => ImageGrid | null;
  /** On-screen pixels per image side. */
  readonly cell: number;
  readonly gap?: number;
  readonly testId: string;
  readonly label: string;
}

function paint(canvas: HTMLCanvasElement, grid: ImageGrid | null, cell: number, gap: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx || !grid) return;
  const { rows, cols, size, pixels } = grid;
  canvas.width = cols * (cell + gap) - gap;
  canvas.height = rows * (cell + gap) - gap;
  ctx.imageSmoothingEnabled = false;
  const tile = new OffscreenCanvas(size, size);
  const tileCtx = tile.getContext('2d')!;
  const bytes = size * size * 4;
  for (let i = 0; i < rows * cols; i++) {
    tileCtx.putImageData(new ImageData(pixels.slice(i * bytes, (i + 1) * bytes), size, size), 0, 0);
    ctx.drawImage(tile, (i % cols) * (cell + gap), Math.floor(i / cols) * (cell + gap), cell, cell);
  }
}

/** Draws a grid of images from the store by subscription, without React renders. */
export function ImageGridCanvas({ select, cell, gap = 2, testId, label }: ImageGridCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const selectRef = useRef(select);
  selectRef.current = select;

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    paint(element, selectRef.current(useAppStore.getState()), cell, gap);
    return useAppStore.subscribe((state, previous) => {
      const grid = selectRef.current(state);
      if (grid !== selectRef.current(previous)) paint(element, grid, cell, gap);
    });
  }, [cell, gap]);

  return <canvas ref={canvas} data-testid={testId} aria-label={label} className="image-grid" />;
}
