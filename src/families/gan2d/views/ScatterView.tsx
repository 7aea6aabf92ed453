import { useEffect, useRef, useState } from 'react';
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

/**
 * G's gradient field, as GAN Lab draws it: at each lattice point an arrow where G's loss would
 * push a generated point there, scaled so the longest arrow spans most of a cell.
 */
function drawField(ctx: CanvasRenderingContext2D, frame: Frame2d): void {
  const n = frame.fieldSize;
  const cell = SIZE / n;
  let longest = 0;
  for (let i = 0; i < n * n; i++) {
    longest = Math.max(longest, Math.hypot(frame.field[2 * i]!, frame.field[2 * i + 1]!));
  }
  if (!(longest > 0)) return;
  const scale = (0.9 * cell) / longest;
  ctx.strokeStyle = 'rgb(60 60 60 / 70%)';
  ctx.fillStyle = 'rgb(60 60 60 / 70%)';
  ctx.lineWidth = 1;
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const i = row * n + col;
      const dx = frame.field[2 * i]! * scale;
      const dy = -frame.field[2 * i + 1]! * scale; // screen y points down
      if (Math.hypot(dx, dy) < 1.5) continue;
      const x0 = (col + 0.5) * cell;
      const y0 = (row + 0.5) * cell;
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x0 + dx, y0 + dy);
      ctx.stroke();
      const angle = Math.atan2(dy, dx);
      ctx.beginPath();
      ctx.moveTo(x0 + dx, y0 + dy);
      ctx.lineTo(x0 + dx - 4 * Math.cos(angle - 0.5), y0 + dy - 4 * Math.sin(angle - 0.5));
      ctx.lineTo(x0 + dx - 4 * Math.cos(angle + 0.5), y0 + dy - 4 * Math.sin(angle + 0.5));
      ctx.fill();
    }
  }
}

function draw(
  canvas: HTMLCanvasElement,
  info: Info2d | null,
  frame: Frame2d | null,
  showField: boolean,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(canvas.width / SIZE, 0, 0, canvas.height / SIZE, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, SIZE, SIZE);
  if (frame) drawHeat(ctx, frame);
  if (info) drawPoints(ctx, info.real, info.extent, REAL);
  if (frame && info) drawPoints(ctx, frame.fake, info.extent, FAKE);
  if (frame && showField) drawField(ctx, frame);
  canvas.dataset.frameStep = frame ? String(frame.step) : '';
}

/** Real points, generated points and D's heat map, redrawn by subscription on each frame. */
export function ScatterView() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const critic = useAppStore((s) => s.info?.kind === 'gan2d' && s.info.critic);
  const [showField, setShowField] = useState(true);
  const showFieldRef = useRef(showField);
  showFieldRef.current = showField;
  const [hover, setHover] = useState<{ x: number; y: number; d: number } | null>(null);

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
        showFieldRef.current,
      );
    redraw(useAppStore.getState());
    return useAppStore.subscribe((state, previous) => {
      if (state.frame !== previous.frame || state.info !== previous.info) redraw(state);
    });
  }, []);
  useEffect(() => {
    const state = useAppStore.getState();
    if (!canvas.current) return;
    draw(
      canvas.current,
      state.info?.kind === 'gan2d' ? state.info : null,
      state.frame?.kind === 'gan2d' ? state.frame : null,
      showField,
    );
  }, [showField]);

  /** D(x) at the pointer, from the heat map the frame brought (no extra read from the GPU). */
  const readout = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const { info, frame } = useAppStore.getState();
    if (info?.kind !== 'gan2d' || frame?.kind !== 'gan2d') return;
    const box = event.currentTarget.getBoundingClientRect();
    const u = (event.clientX - box.left) / box.width;
    const v = (event.clientY - box.top) / box.height;
    const n = frame.gridSize;
    const col = Math.min(n - 1, Math.max(0, Math.floor(u * n)));
    const row = Math.min(n - 1, Math.max(0, Math.floor(v * n)));
    setHover({
      x: -info.extent + u * 2 * info.extent,
      y: info.extent - v * 2 * info.extent,
      d: frame.realness[row * n + col]!,
    });
  };

  return (
    <figure className="scatter">
      <canvas
        ref={canvas}
        style={{ width: '100%', maxWidth: SIZE, aspectRatio: '1' }}
        data-testid="samples"
        aria-label="Real and generated points over the discriminator's output"
        onPointerMove={readout}
        onPointerLeave={() => setHover(null)}
      />
      <p className="readout" data-testid="readout" aria-live="off">
        {hover
          ? `${critic ? 'critic score (rescaled)' : 'D(x)'} at (${hover.x.toFixed(2)}, ${hover.y.toFixed(2)}): ${hover.d.toFixed(2)}`
          : 'Point at the plot to read D(x) there.'}
      </p>
      <label className="toggle">
        <input
          type="checkbox"
          checked={showField}
          onChange={(e) => setShowField(e.target.checked)}
          data-testid="show-field"
        />{' '}
        Arrows: where G's loss pushes a generated point
      </label>
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
