import { useEffect, useRef } from 'react';
import type { ImageGrid } from '../../../protocol/messages';
import type { AppState } from '../../store/store';
import { useAppStore } from '../../store/store';

interface ImageGridCanvasProps {
  readonly select: (state: AppState) => ImageGrid | null;
  /** The training step the images show, for a data-step attribute (tests wait on it). */
  readonly selectStep?: (state: AppState) => number | null;
  /** Whether newer images are on their way, for a data-busy attribute. */
  readonly selectBusy?: (state: AppState) => boolean;
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
export function ImageGridCanvas({
  select,
  selectStep,
  selectBusy,
  cell,
  gap = 2,
  testId,
  label,
}: ImageGridCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const selectRef = useRef({ select, selectStep, selectBusy });
  selectRef.current = { select, selectStep, selectBusy };

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const draw = (state: AppState) => {
      paint(element, selectRef.current.select(state), cell, gap);
      element.dataset.step = String(selectRef.current.selectStep?.(state) ?? '');
    };
    // Set in the same task as the store changes, so a test never sees new images marked idle
    // while the render they trigger is being requested.
    const mark = (state: AppState) => {
      element.dataset.busy = String(selectRef.current.selectBusy?.(state) ?? false);
    };
    draw(useAppStore.getState());
    mark(useAppStore.getState());
    return useAppStore.subscribe((state, previous) => {
      if (selectRef.current.select(state) !== selectRef.current.select(previous)) draw(state);
      mark(state);
    });
  }, [cell, gap]);

  return <canvas ref={canvas} data-testid={testId} aria-label={label} className="image-grid" />;
}
