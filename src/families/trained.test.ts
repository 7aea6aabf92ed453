/**
 * The trained generators shipped in public/models/trained/ (issue 13, part 3): every model a
 * family declares loads from its file as the page loads it (readBundle and
 * experimentFromBundle), is a generator-only bundle of that family, stays within the size
 * budget, and meets its quality target on the family's own figures (the frame's quality row:
 * mode coverage for the 2D GAN, the Fréchet distance against the real-vs-real floor for the
 * image GANs, attribute transfer and preservation L1 on held-out faces for StarGAN).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { experimentFromBundle } from '../engine/bundles';
import type { ExperimentResources } from '../engine/experiment';
import { measureQuality } from '../engine/quality';
import { readBundle } from '../io/bundle';
import { loadShippedClassifier } from '../test/shippedClassifier';
import { FAMILIES, familyFor } from '.';
import { createExperiment } from './engines';

const MAX_MODEL_BYTES = 2.2 * 1024 * 1024;
const MAX_TOTAL_BYTES = 12 * 1024 * 1024;

const models = FAMILIES.flatMap((family) =>
  (family.trained ?? []).map((model) => ({ kind: family.kind, file: model.file })),
);
const read = (file: string) => new Uint8Array(readFileSync(`public/models/trained/${file}`));

describe('trained models', () => {
  const { classifier, accuracy } = loadShippedClassifier();
  const resources: ExperimentResources = {
    classifier,
    classifierAccuracy: accuracy,
    uploaded: null,
  };
  afterAll(() => classifier.dispose());

  it('every family has one, within 12 MB in all', () => {
    expect(new Set(models.map((m) => m.kind))).toEqual(new Set(FAMILIES.map((f) => f.kind)));
    const total = models.reduce((sum, m) => sum + read(m.file).byteLength, 0);
    expect(total).toBeLessThan(MAX_TOTAL_BYTES);
  });

  it.each(models)('$file loads and meets its quality target', async ({ kind, file }) => {
    const bytes = read(file);
    expect(bytes.byteLength).toBeLessThan(MAX_MODEL_BYTES);
    expect(readBundle(bytes).manifest.flavour).toBe('generator');
    const { experiment, manifest } = await experimentFromBundle(bytes, async (config) =>
      createExperiment(config, resources),
    );
    try {
      expect(manifest.experiment.kind).toBe(kind);
      const spec = familyFor(manifest.experiment).trained!.find((m) => m.file === file)!;
      const model = manifest.experiment.model as unknown as Record<string, unknown>;
      expect(spec.fits?.(model) ?? true, 'the file fits the spec entry that names it').toBe(true);
      const quality = await measureQuality(experiment, manifest.step);
      expect(quality, 'a quality row').not.toBeNull();
      expect(spec.target.met(quality!), `${spec.target.text}: [${quality}]`).toBe(true);
    } finally {
      experiment.dispose();
    }
  });
});
