import { useEffect, useRef } from 'react';
import type { ImageGrid } from '../../../protocol/messages';
import type { AppState } from '../../store/store';
import { useAppStore } from '../../store/store';

interface ImageGridCanvasProps {
  readonly select: (state: AppState) => ImageGrid | null;
  /** The training step the images show, for a data-step attribute (tests wait on it). */
  readonly selectStep?: (state: AppState) => number | null;
  /**
   * For images rendered on request: the latest requested version and the shown one, as
   * data-requested / data-shown / data-busy attributes (tests and the benchmark wait on them).
   */
  readonly selectVersions?: (state: AppState) => { requested: number; shown: number };
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
  selectVersions,
  cell,
  gap = 2,
  testId,
  label,
}: ImageGridCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const selectRef = useRef({ select, selectStep, selectVersions });
  selectRef.current = { select, selectStep, selectVersions };

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
      const versions = selectRef.current.selectVersions?.(state);
      element.dataset.busy = String(versions ? versions.shown < versions.requested : false);
      if (!versions) return;
      element.dataset.requested = String(versions.requested);
      element.dataset.shown = String(versions.shown);
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
