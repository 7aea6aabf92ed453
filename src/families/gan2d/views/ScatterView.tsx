import { useEffect, useRef } from 'react';
import type { AppState } from '../../../ui/store/store';
import { useAppStore } from '../../../ui/store/store';
import type { Frame2d, Info2d } from '../spec';

const SIZE = 420;
const REAL = '#1b9e77';
const FAKE = '#7570b3';

/** Realness 1 tints the cell green (D says real), 0 tints it purple (D says fake). */
function heatColour(realness: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, realness));
  const real = [27, 158, 119];
  const fake = [117, 112, 179];
  const mix = (k: number) => 255 + (t * real[k]! + (1 - t) * fake[k]! - 255) * 0.35;
  return [mix(0), mix(1), mix(2)];
}

function drawHeat(ctx: CanvasRenderingContext2D, frame: Frame2d): void {
  const n = frame.gridSize;
  const image = new ImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    const [r, g, b] = heatColour(frame.realness[i]!);
    image.data.set([r, g, b, 255], i * 4);
  }
  const tile = new OffscreenCanvas(n, n);
  tile.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tile, 0, 0, SIZE, SIZE);
}

function drawPoints(
  ctx: CanvasRenderingContext2D,
  points: Float32Array,
  extent: number,
  colour: string,
): void {
  const scale = SIZE / (2 * extent);
  ctx.fillStyle = colour;
  for (let i = 0; i < points.length; i += 2) {
    const x = (points[i]! + extent) * scale;
    const y = (extent - points[i + 1]!) * scale;
    ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
  }
}

function draw(canvas: HTMLCanvasElement, info: Info2d | null, frame: Frame2d | null): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(canvas.width / SIZE, 0, 0, canvas.height / SIZE, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, SIZE, SIZE);
  if (frame) drawHeat(ctx, frame);
  if (info) drawPoints(ctx, info.real, info.extent, REAL);
  if (frame && info) drawPoints(ctx, frame.fake, info.extent, FAKE);
  canvas.dataset.frameStep = frame ? String(frame.step) : '';
}

/** Real points, generated points and D's heat map, redrawn by subscription on each frame. */
export function ScatterView() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const critic = useAppStore((s) => s.info?.kind === 'gan2d' && s.info.critic);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const ratio = window.devicePixelRatio || 1;
    element.width = SIZE * ratio;
    element.height = SIZE * ratio;
    const redraw = (state: AppState) =>
      draw(
        element,
        state.info?.kind === 'gan2d' ? state.info : null,
        state.frame?.kind === 'gan2d' ? state.frame : null,
      );
    redraw(useAppStore.getState());
    return useAppStore.subscribe((state, previous) => {
      if (state.frame !== previous.frame || state.info !== previous.info) redraw(state);
    });
  }, []);

  return (
    <figure className="scatter">
      <canvas
        ref={canvas}
        style={{ width: SIZE, height: SIZE }}
        data-testid="samples"
        aria-label="Real and generated points over the discriminator's output"
      />
      <figcaption>
        <span className="swatch" style={{ background: REAL }} /> real
        <span className="swatch" style={{ background: FAKE }} /> generated
        <span className="heat-legend" />{' '}
        {critic
          ? 'background: the critic’s score, rescaled to the window: green = higher (“more real”), purple = lower'
          : 'background: D(x), green = “real”, purple = “fake”'}
      </figcaption>
    </figure>
  );
}
