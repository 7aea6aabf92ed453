/**
 * What every registered family must do, checked over the registry: a new family passes these
 * without a line here. Settings (schema, form and link agree with the field table), files
 * (bundle round trips), tensors (flat over steps and frames) and charts (every name charted).
 */
import * as tf from '@tensorflow/tfjs-core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { describeNetworks } from '../engine/architecture';
import { experimentFromBundle, snapshotExperiment } from '../engine/bundles';
import type { Experiment, ExperimentResources } from '../engine/experiment';
import { NO_RESOURCES } from '../engine/experiment';
import { measureQuality } from '../engine/quality';
import { checkExperiment } from '../io/schema';
import { DEFAULT_LIVE_SETTINGS } from '../protocol/messages';
import { loadShippedClassifier } from '../test/shippedClassifier';
import { FamilyForm } from '../ui/components/FamilyForm';
import { readShareLink, shareUrl } from '../ui/shareLink';
import { type ExperimentConfig, experimentSchema, FAMILIES, familyFor, type LooseFamily } from '.';
import { createExperiment, engineFor } from './engines';
import { type FieldShape, fieldEntries } from './fields';

const families = FAMILIES as unknown as readonly LooseFamily[];
const configOf = (family: LooseFamily, model: object, seed = 3) =>
  ({ kind: family.kind, seed, model }) as unknown as ExperimentConfig;
const numberFields = (family: LooseFamily) =>
  fieldEntries(family.fields).filter(
    (entry): entry is [string, Extract<FieldShape, { type: 'int' | 'float' }>] =>
      entry[1].type === 'int' || entry[1].type === 'float',
  );

let classifier: ExperimentResources | null = null;
function resourcesFor(config: ExperimentConfig): ExperimentResources {
  if (!engineFor(config).usesClassifier) return NO_RESOURCES;
  if (!classifier) {
    const loaded = loadShippedClassifier();
    classifier = {
      ...NO_RESOURCES,
      classifier: loaded.classifier,
      classifierAccuracy: loaded.accuracy,
    };
  }
  return classifier;
}

async function frameOf(experiment: Experiment, step: number) {
  const tensor = experiment.frameTensor();
  const frame = experiment.decodeFrame((await tensor.data()) as Float32Array, step);
  tensor.dispose();
  return frame;
}

describe.each(families.map((family) => [family.kind, family] as const))(
  'family %s',
  (_, family) => {
    const tiny = configOf(family, family.testSizes.tiny[0]!);

    it('declares defaults and test sizes that its schema accepts', () => {
      for (const model of [family.defaults, family.testSizes.small, ...family.testSizes.tiny]) {
        expect(checkExperiment(configOf(family, model)).problem).toBeNull();
      }
      expect(family.title.length).toBeGreaterThan(0);
      expect(family.description.length).toBeGreaterThan(20);
      expect(family.shortName(family.defaults).length).toBeGreaterThan(0);
    });

    it('offers PyTorch export exactly when its engine has PyTorch hooks', () => {
      expect(Boolean(family.torchReference)).toBe(Boolean(engineFor(tiny).torch));
    });

    it('has a table entry, with help, for every setting and no other', () => {
      const keys = fieldEntries(family.fields).map(([key]) => key);
      expect(keys.sort()).toEqual(Object.keys(family.defaults).sort());
      for (const [, field] of fieldEntries(family.fields)) {
        if (field.type !== 'datasetId')
          expect((field as unknown as { help: string }).help.length).toBeGreaterThan(10);
      }
    });

    it("accepts exactly each field's range in the schema", () => {
      const parse = (change: Record<string, unknown>) =>
        experimentSchema.safeParse(configOf(family, { ...family.defaults, ...change })).success;
      for (const [key, field] of fieldEntries(family.fields)) {
        if (field.type === 'int' || field.type === 'float') {
          const below =
            field.type === 'int' ? field.min - 1 : field.min - Math.abs(field.min) * 0.5 - 1e-9;
          expect(parse({ [key]: field.min }), `${key} min`).toBe(true);
          expect(parse({ [key]: field.max }), `${key} max`).toBe(true);
          expect(parse({ [key]: below }), `${key} below min`).toBe(false);
          expect(parse({ [key]: field.max + 1 }), `${key} above max`).toBe(false);
          expect(parse({ [key]: 'abc' }), `${key} text`).toBe(false);
          if (field.type === 'int') expect(parse({ [key]: field.min + 0.5 })).toBe(false);
        } else if (field.type === 'choice') {
          for (const [value] of field.options) expect(parse({ [key]: value })).toBe(true);
          expect(parse({ [key]: 'no-such-choice' }), `${key} unknown choice`).toBe(false);
        }
      }
      expect(parse({ unknownSetting: 1 })).toBe(false);
    });

    it("shows each number field's range in the form, as the schema has it", () => {
      const html = renderToStaticMarkup(<FamilyForm draft={configOf(family, family.defaults)} />);
      const shown = [...html.matchAll(/<input type="number" min="([^"]+)" max="([^"]+)"/g)].map(
        (m) => [Number(m[1]), Number(m[2])],
      );
      const model = family.defaults as Record<string, unknown>;
      const visible = numberFields(family).filter(
        ([, field]) => (field as { visible?: (m: object) => boolean }).visible?.(model) ?? true,
      );
      expect(shown.sort()).toEqual(visible.map(([, f]) => [f.min, f.max]).sort());
      expect(html).toContain('Allowed:');
    });

    it('round-trips its defaults and each changed field through a share link', () => {
      const base = 'http://localhost:4173/';
      const defaults = configOf(family, family.defaults, 1);
      const read = (config: ExperimentConfig) =>
        readShareLink(new URL(shareUrl(base, config, DEFAULT_LIVE_SETTINGS, null)).search);
      expect(read(defaults)).toMatchObject({ experiment: defaults, problems: [] });
      for (const [key, field] of fieldEntries(family.fields)) {
        let value: unknown;
        if (field.type === 'int' || field.type === 'float') value = field.min;
        else if (field.type === 'choice') value = field.options.at(-1)![0];
        else continue;
        if (value === 'uploaded') continue;
        const changed = configOf(family, { ...family.defaults, [key]: value }, 1);
        if (checkExperiment(changed).problem) continue;
        expect(read(changed).experiment, key).toEqual(changed);
      }
    });

    it('reports a bad link value by name and keeps the others', () => {
      const [key, field] = numberFields(family)[0]!;
      const [otherKey, other] = numberFields(family)[1]!;
      const link = readShareLink(
        `?model=${family.kind}&${key}=${field.max * 10 + 1}&${otherKey}=${other.min}`,
      );
      expect(link.problems).toHaveLength(1);
      expect(link.problems[0]).toContain(key);
      const model = link.experiment!.model as unknown as Record<string, unknown>;
      expect(model[key]).toBe((family.defaults as Record<string, unknown>)[key]);
      expect(model[otherKey]).toBe(other.min);
    });

    it('charts every loss and quality figure it reports', async () => {
      const experiment = createExperiment(tiny, resourcesFor(tiny));
      const { lossNames, qualityNames } = experiment.info;
      expect(new Set(lossNames).size).toBe(lossNames.length);
      expect(new Set(qualityNames).size).toBe(qualityNames.length);
      const { losses, computed } = experiment.step('both');
      expect(losses.shape).toEqual([lossNames.length]);
      expect(computed).toHaveLength(lossNames.length);
      losses.dispose();
      const frame = await frameOf(experiment, 1);
      expect(frame.kind).toBe(family.kind);
      // Figures come in frames or on their own cadence (qualityTensor), never both.
      const separate = experiment.qualityTensor !== undefined;
      expect(separate, 'qualityTensor comes with decodeQuality').toBe(
        experiment.decodeQuality !== undefined,
      );
      if (separate) expect(frame.quality, 'figures measured apart, not in frames').toBeNull();
      const quality = await measureQuality(experiment, 1);
      expect(quality, 'a quality row with a classifier').not.toBeNull();
      expect(quality).toHaveLength(qualityNames.length);
      experiment.dispose();
    });

    it('keeps the tensor count flat over steps and frames', async () => {
      const experiment = createExperiment(tiny, NO_RESOURCES);
      const round = async (step: number) => {
        experiment.step('both').losses.dispose();
        experiment.step('D').losses.dispose();
        experiment.step('G').losses.dispose();
        await frameOf(experiment, step);
        await measureQuality(experiment, step);
      };
      await round(1);
      const before = tf.memory().numTensors;
      for (let i = 2; i < 5; i++) await round(i);
      expect(tf.memory().numTensors).toBe(before);
      experiment.dispose();
    });

    it.each(['generator', 'full'] as const)('round-trips a %s bundle', async (flavour) => {
      const original = createExperiment(tiny, NO_RESOURCES);
      for (let i = 0; i < 2; i++) original.step('both').losses.dispose();
      const run = { config: tiny, step: 2, name: 'conformance' };
      const { bytes, manifest } = await snapshotExperiment(original, run, flavour, (t) => t.data());
      expect(manifest.flavour).toBe(flavour);
      const { experiment: loaded, manifest: read } = await experimentFromBundle(
        bytes,
        async (config) => createExperiment(config, NO_RESOURCES),
      );
      expect(read.experiment).toEqual(tiny);
      const weights = (e: Experiment) =>
        e
          .networks()
          .generators.flatMap((p) => [...p.named()].map(([n, v]) => [n, [...v.dataSync()]]));
      expect(weights(loaded)).toEqual(weights(original));
      if (flavour === 'full') {
        expect(loaded.resumeState()).toEqual(original.resumeState());
        // The next step from the file is the next step of the original, to the bit.
        for (const e of [original, loaded]) e.step('both').losses.dispose();
        expect(weights(loaded)).toEqual(weights(original));
      }
      original.dispose();
      loaded.dispose();
    });

    it('describes its networks for the model overview, weight for weight', () => {
      const experiment = createExperiment(tiny, NO_RESOURCES);
      const summary = describeNetworks(experiment.networks());
      const { generators, others } = experiment.networks();
      const total = [...generators, ...others]
        .flatMap((p) => [...p.named().values()])
        .reduce((sum, v) => sum + v.size, 0);
      expect(summary.length).toBeGreaterThanOrEqual(2);
      expect(summary.every((n) => n.layers.length > 0 && n.name.length > 0)).toBe(true);
      expect(summary.reduce((sum, n) => sum + n.parameters, 0)).toBe(total);
      expect(family.flow(family.defaults).length).toBeGreaterThan(0);
      experiment.dispose();
    });

    it('is described for saved runs without a switch outside its folder', () => {
      expect(familyFor(tiny).describe(tiny.model as unknown as Record<string, unknown>)).toMatch(
        /\w/,
      );
    });
  },
);
