import { ImageGridCanvas } from '../../../ui/components/common/ImageGridCanvas';
import { useAppStore } from '../../../ui/store/store';

const CELL = 48;

/** The live latent-guided rows and the reference grid, from the EMA networks. */
export function LiveGrids() {
  const info = useAppStore((s) => (s.info?.kind === 'starganv2' ? s.info : null));
  const step = useAppStore((s) => (s.frame?.kind === 'starganv2' ? s.frame.step : null));
  if (!info) return null;
  return (
    <div className="live-grids">
      <figure>
        <figcaption>
          Latent-guided{step !== null && `, step ${step}`}: each source, then{' '}
          {info.latentGrid.styles} random styles per row, one row per domain (
          {info.domains.join(', ')})
        </figcaption>
        <ImageGridCanvas
          select={(s) => (s.frame?.kind === 'starganv2' ? s.frame.latent : null)}
          selectStep={(s) => s.frame?.step ?? null}
          cell={CELL}
          testId="latent-grid"
          label="Latent-guided grid"
        />
      </figure>
      <figure>
        <figcaption>Reference-guided: references across the top, sources down the side</figcaption>
        <ImageGridCanvas
          select={(s) => (s.frame?.kind === 'starganv2' ? s.frame.reference : null)}
          selectStep={(s) => s.frame?.step ?? null}
          cell={CELL}
          testId="reference-grid"
          label="Reference-guided grid"
        />
      </figure>
    </div>
  );
}
