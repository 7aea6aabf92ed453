import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/random';
import {
  ANIMAL_DOMAINS,
  AnimalDataset,
  attributeVector,
  READ_ATTRIBUTES,
} from '../../data/animals';
import { gatherImages, type LabelledImages } from '../../data/labelledImages';
import { toRgba } from '../../data/pixels';
import { splitHeldOut, UserImageSet } from '../../data/userImages';
import {
  checkResumeState,
  type Experiment,
  type ExperimentResources,
  type RenderInputs,
  type ResumeState,
  type StepResult,
  type UploadedData,
} from '../../engine/experiment';
import { type AnimalReader, animalReader } from '../../metrics/animalReader';
import { argmaxIn, meanAbs } from '../../metrics/ridgeReader';
import { repeatEach } from '../../models/shared/conv';
import type { ModelNetworks } from '../../models/shared/networks';
import { StarGanV2, type StarGanV2Batch, type StyleSource } from '../../models/starganv2';
import {
  lambdaDsAt,
  STARGANV2_LOSS_NAMES,
  type StarGanV2Config,
} from '../../models/starganv2.config';
import type { StepPhase } from '../../protocol/messages';
import type { ImageGrid } from '../types';
import {
  type FrameStarGanV2,
  type InfoStarGanV2,
  previewKey,
  type StyleChoice,
  type StylesRequest,
} from './spec';

/** Toy animals held out per domain: previews, the live grids and the quality figures. */
const HELD_OUT_PER_DOMAIN = 32;
const PREVIEW_PER_DOMAIN = 6;
/** The live latent grid: two sources, each painted into every domain in this many styles. */
const GRID_SOURCES = 2;
const GRID_STYLES = 4;
/** Quality: sources per domain, each to every domain with two latents and one reference. */
const EVAL_PER_DOMAIN = 4;
/** Latents averaged for each domain's mean style (the reference uses 10,000). */
const MEAN_STYLE_LATENTS = 256;

/** A domain-labelled image set: the toy animals' split, or an uploaded set's. */
interface Split {
  readonly set: LabelledImages;
  /** Indices of each domain's images. */
  readonly byDomain: readonly (readonly number[])[];
}

function splitOf(set: LabelledImages, domains: number): Split {
  const byDomain: number[][] = Array.from({ length: domains }, () => []);
  for (let i = 0; i < set.count; i++) {
    const label = set.label(i);
    let d = 0;
    for (let k = 1; k < domains; k++) if (label[k]! > label[d]!) d = k;
    byDomain[d]!.push(i);
  }
  return { set, byDomain };
}

/** The data, split, with the real attributes of the toy animals (null for uploads). */
interface Data {
  readonly domains: readonly string[];
  readonly train: Split;
  readonly test: Split;
  readonly testAttributes: readonly (readonly number[])[] | null;
}

function toyData(config: StarGanV2Config, rng: Rng): Data {
  const test = new AnimalDataset(HELD_OUT_PER_DOMAIN, config.imageSize, rng.fork('test'));
  return {
    domains: ANIMAL_DOMAINS,
    train: splitOf(
      new AnimalDataset(config.datasetSize, config.imageSize, rng.fork('train')),
      ANIMAL_DOMAINS.length,
    ),
    test: splitOf(test, ANIMAL_DOMAINS.length),
    testAttributes: test.params.map(attributeVector),
  };
}

function uploadedData(data: UploadedData, config: StarGanV2Config, rng: Rng): Data {
  const { summary, images } = data;
  if (summary.labelMode !== 'domains' || summary.labelNames.length < 2) {
    throw new Error(
      `StarGAN v2 needs one folder per domain (at least two); “${summary.name}” has ${summary.labelMode === 'domains' ? 'one' : 'none'}`,
    );
  }
  const { train, test } = splitHeldOut(images.count, rng.fork('split'));
  const domains = summary.labelNames.length;
  const result = {
    domains: summary.labelNames,
    train: splitOf(new UserImageSet(images, config.imageSize, train), domains),
    test: splitOf(new UserImageSet(images, config.imageSize, test), domains),
    testAttributes: null,
  };
  const empty = summary.labelNames.find((_, d) => result.train.byDomain[d]!.length === 0);
  if (empty) throw new Error(`The domain “${empty}” has no training images`);
  return result;
}

/** StarGAN v2's networks for `config`; null for an uploaded set not given (domains unknown). */
export function starganv2Model(
  config: StarGanV2Config,
  rng: Rng,
  uploaded: UploadedData | null,
): StarGanV2 | null {
  if (config.data === 'uploaded' && !uploaded) return null;
  const domains = config.data === 'uploaded' ? uploaded!.summary.labelNames.length : 3;
  return new StarGanV2(config, domains, rng.fork('model'));
}

const oneHot = (domains: readonly number[], n: number) =>
  tf.tidy(() => tf.oneHot(tf.tensor1d([...domains], 'int32'), n) as tf.Tensor2D);

/** One image of a held-out split: which one and its domain. */
interface Pick {
  readonly index: number;
  readonly domain: number;
}

export class StarGanV2Experiment implements Experiment {
  readonly info: InfoStarGanV2;
  readonly frameIntervalMs = 1000;
  readonly model: StarGanV2;
  private readonly data: Data;
  private readonly numDomains: number;
  private readonly dataRng: Rng;
  private iteration = 0;
  private readonly reader: AnimalReader | null;
  private readonly previewByKey: ReadonlyMap<string, { pixels: Float32Array; domain: number }>;
  private readonly grid: {
    readonly latentSources: tf.Tensor4D;
    readonly z: tf.Tensor2D;
    readonly refSources: tf.Tensor4D;
    readonly refs: tf.Tensor4D;
    readonly refDomains: tf.Tensor2D;
  };
  private readonly evaluation: {
    readonly sources: Pick[];
    readonly references: Pick[];
    readonly x: tf.Tensor4D;
    readonly z: tf.Tensor2D;
    readonly z2: tf.Tensor2D;
    readonly y: tf.Tensor2D;
    readonly xRef: tf.Tensor4D;
    /** Target domain of each output, in output order. */
    readonly targets: number[];
  };

  constructor(
    readonly config: StarGanV2Config,
    seed: number,
    resources: ExperimentResources,
  ) {
    const rng = new Rng(seed);
    if (config.data === 'uploaded') {
      if (!resources.uploaded) throw new Error('Choose an uploaded data set to train on');
      this.data = uploadedData(resources.uploaded, config, rng);
    } else {
      this.data = toyData(config, rng);
    }
    this.numDomains = this.data.domains.length;
    this.model = new StarGanV2(config, this.numDomains, rng.fork('model'));
    this.dataRng = rng.fork('data');
    this.reader = this.data.testAttributes ? animalReader() : null;
    const s = config.imageSize;
    const test = this.data.test;
    const image = (p: Pick) => test.set.image(p.index);
    const stack = (picks: Pick[]) => {
      const out = new Float32Array(picks.length * s * s * 3);
      picks.forEach((p, i) => {
        out.set(image(p), i * s * s * 3);
      });
      return tf.tensor4d(out, [picks.length, s, s, 3]);
    };
    // The k-th held-out image of each domain in turn (fewer where a domain has fewer).
    const picks = (from: number, perDomain: number): Pick[] =>
      Array.from({ length: perDomain }, (_, k) =>
        test.byDomain.flatMap((indices, domain) =>
          indices[from + k] === undefined ? [] : [{ index: indices[from + k]!, domain }],
        ),
      ).flat();

    const preview = picks(0, PREVIEW_PER_DOMAIN);
    const latentSources = preview.slice(0, GRID_SOURCES);
    const refRow = picks(1, 1);
    const refSources = picks(2, 1);
    const gridRng = rng.fork('grid');
    this.grid = tf.tidy(() => ({
      latentSources: stack(latentSources),
      z: tf.tensor2d(gridRng.normalArray(GRID_STYLES * config.latentDim), [
        GRID_STYLES,
        config.latentDim,
      ]),
      refSources: stack(refSources),
      refs: stack(refRow),
      refDomains: oneHot(
        refRow.map((p) => p.domain),
        this.numDomains,
      ),
    }));

    const sources = picks(PREVIEW_PER_DOMAIN, EVAL_PER_DOMAIN);
    const references = picks(PREVIEW_PER_DOMAIN + EVAL_PER_DOMAIN, EVAL_PER_DOMAIN);
    const evalRng = rng.fork('evaluation');
    // Outputs: every source to every domain (latent 1, latent 2, reference), source-major.
    const targets = sources.flatMap(() => Array.from({ length: this.numDomains }, (_, d) => d));
    const refFor = (i: number) =>
      references.find((r, k) => r.domain === targets[i] && k >= i % references.length) ??
      references.find((r) => r.domain === targets[i]) ??
      references[0]!;
    const evalRefs = targets.map((_, i) => refFor(i));
    const pairs = targets.length;
    this.evaluation = {
      sources,
      references: evalRefs,
      targets,
      ...tf.tidy(() => ({
        x: repeatEach(stack(sources), this.numDomains),
        z: tf.tensor2d(evalRng.normalArray(pairs * config.latentDim), [pairs, config.latentDim]),
        z2: tf.tensor2d(evalRng.normalArray(pairs * config.latentDim), [pairs, config.latentDim]),
        y: oneHot(targets, this.numDomains),
        xRef: stack(evalRefs),
      })),
    };

    this.previewByKey = new Map(
      preview.map((p, i) => [previewKey(i), { pixels: image(p).slice(), domain: p.domain }]),
    );
    const previewImages = new Float32Array(preview.length * s * s * 3);
    preview.forEach((p, i) => {
      previewImages.set(image(p), i * s * s * 3);
    });
    this.info = {
      kind: 'starganv2',
      lossNames: STARGANV2_LOSS_NAMES,
      qualityNames: ['Domain accuracy', 'Diversity (L1)', 'Content error', 'Reference fur error'],
      imageSize: s,
      domains: this.data.domains,
      preview: {
        images: previewImages,
        count: preview.length,
        domains: preview.map((p) => p.domain),
      },
      latentGrid: { sources: latentSources.length, styles: GRID_STYLES },
      readerAccuracy: this.reader?.accuracy ?? null,
    };
  }

  /** Images of `picks` from a split, flipped where `flips` says, as one tensor. */
  private images(split: Split, indices: number[], flips: boolean[]): tf.Tensor4D {
    const s = this.config.imageSize;
    const { images } = gatherImages(split.set, indices, flips);
    return tf.tensor4d(images, [indices.length, s, s, 3]);
  }

  /**
   * The reference's InputFetcher: sources from a domain-balanced sampler, a target domain and
   * two references of it, two latents; random horizontal flips.
   */
  private batch(): StarGanV2Batch {
    const { batchSize: n, latentDim } = this.config;
    const r = this.dataRng;
    const { byDomain } = this.data.train;
    const pick = (d: number) => byDomain[d]![r.int(byDomain[d]!.length)]!;
    const yOrg = Array.from({ length: n }, () => r.int(this.numDomains));
    const yTrg = Array.from({ length: n }, () => r.int(this.numDomains));
    const sources = yOrg.map(pick);
    const refs = yTrg.map(pick);
    const refs2 = yTrg.map(pick);
    const flips = () => Array.from({ length: n }, () => r.uniform() < 0.5);
    const split = this.data.train;
    return {
      xReal: this.images(split, sources, flips()),
      yOrg: oneHot(yOrg, this.numDomains),
      yTrg: oneHot(yTrg, this.numDomains),
      xRef: this.images(split, refs, flips()),
      xRef2: this.images(split, refs2, flips()),
      zTrg: tf.tensor2d(r.normalArray(n * latentDim), [n, latentDim]),
      zTrg2: tf.tensor2d(r.normalArray(n * latentDim), [n, latentDim]),
    };
  }

  /**
   * One reference iteration: D latent, D reference, G latent (G, F, E), G reference (G), then
   * the EMA ('D' and 'G' run one network's two steps alone, as GAN Lab's buttons).
   */
  step(phase: StepPhase): StepResult {
    const lambdaDs = lambdaDsAt(this.config.lambdaDs, this.iteration, this.config.dsIter);
    const batch = this.batch();
    const parts: tf.Tensor1D[] = [];
    const computed: boolean[] = [];
    const run = (on: boolean, width: number, train: () => tf.Tensor1D) => {
      parts.push(on ? train() : (tf.fill([width], Number.NaN) as tf.Tensor1D));
      computed.push(...Array.from({ length: width }, () => on));
    };
    const trainD = phase !== 'G';
    const trainG = phase !== 'D';
    for (const source of ['latent', 'ref'] as StyleSource[]) {
      run(trainD, 3, () => this.model.trainD(batch, source));
    }
    for (const source of ['latent', 'ref'] as StyleSource[]) {
      run(trainG, 4, () => this.model.trainG(batch, source, lambdaDs));
    }
    if (trainG) this.model.updateEma();
    this.iteration++;
    tf.dispose(Object.values(batch));
    const losses = tf.concat(parts) as tf.Tensor1D;
    tf.dispose(parts);
    return { losses, computed };
  }

  /** Both live grids from the EMA networks: latent rows, then the reference grid. */
  frameTensor(): tf.Tensor1D {
    return tf.tidy(() => {
      const { latentSources, z, refSources, refs, refDomains } = this.grid;
      const m = this.model;
      const sources = latentSources.shape[0];
      const k = z.shape[0];
      // Styles: every domain's head on the same latents, domain-major: [D * K, S].
      const styles = tf.concat(
        Array.from({ length: this.numDomains }, (_, d) =>
          m.FEma(z, oneHot(Array(k).fill(d), this.numDomains)),
        ),
      );
      const rows = this.numDomains * k;
      const x = repeatEach(latentSources, rows);
      const latent = m.GEma(x, tf.tile(styles, [sources, 1]) as tf.Tensor2D);
      const nSrc = refSources.shape[0];
      const nRef = refs.shape[0];
      const refStyles = m.EEma(refs, refDomains);
      const xr = repeatEach(refSources, nRef);
      const reference = m.GEma(xr, tf.tile(refStyles, [nSrc, 1]) as tf.Tensor2D);
      return tf.concat([
        tf.reshape(latentSources, [-1]),
        tf.reshape(latent, [-1]),
        tf.reshape(refSources, [-1]),
        tf.reshape(refs, [-1]),
        tf.reshape(reference, [-1]),
      ]) as tf.Tensor1D;
    });
  }

  decodeFrame(values: Float32Array, step: number): FrameStarGanV2 {
    const s = this.config.imageSize;
    const n = s * s * 3;
    const sources = this.grid.latentSources.shape[0];
    const k = this.grid.z.shape[0];
    const D = this.numDomains;
    const nSrc = this.grid.refSources.shape[0];
    const nRef = this.grid.refs.shape[0];
    const at = {
      latentSources: 0,
      latent: sources * n,
      refSources: sources * n + sources * D * k * n,
      refs: 0,
      reference: 0,
    };
    at.refs = at.refSources + nSrc * n;
    at.reference = at.refs + nRef * n;
    // Latent rows: the source, then its K styles in that row's domain.
    const latent = gridOf(sources * D, k + 1, s, (row, col) =>
      col === 0 ? at.latentSources + Math.floor(row / D) * n : at.latent + (row * k + col - 1) * n,
    );
    // The paper's grid: a blank corner, references across the top, sources down the side.
    const reference = gridOf(nSrc + 1, nRef + 1, s, (row, col) => {
      if (row === 0) return col === 0 ? null : at.refs + (col - 1) * n;
      if (col === 0) return at.refSources + (row - 1) * n;
      return at.reference + ((row - 1) * nRef + col - 1) * n;
    });
    const fill = (grid: ImageGrid & { offsets: (number | null)[] }) => {
      const pixels = new Uint8ClampedArray(grid.rows * grid.cols * s * s * 4);
      grid.offsets.forEach((offset, i) => {
        if (offset !== null) pixels.set(toRgba(values, s * s, offset), i * s * s * 4);
      });
      return { rows: grid.rows, cols: grid.cols, size: s, pixels };
    };
    return {
      kind: 'starganv2',
      step,
      quality: null,
      latent: fill(latent),
      reference: fill(reference),
    };
  }

  // Three G passes over 12 sources x every domain and the reader on each output: several
  // times the live grids' cost, so the trainer measures it on its own, slower cadence.
  qualityTensor(): tf.Tensor1D {
    return tf.tidy(() => {
      const { x, z, z2, y, xRef } = this.evaluation;
      const m = this.model;
      const latent1 = m.GEma(x, m.FEma(z, y));
      const latent2 = m.GEma(x, m.FEma(z2, y));
      const reference = m.GEma(x, m.EEma(xRef, y));
      return tf.concat([
        tf.reshape(latent1, [-1]),
        tf.reshape(latent2, [-1]),
        tf.reshape(reference, [-1]),
      ]) as tf.Tensor1D;
    });
  }

  /**
   * [domain accuracy, diversity, content error, reference fur error]: the reader's domain of
   * latent- and reference-guided outputs against their targets; mean L1 between the two
   * latent-guided outputs of each (source, domain); mean |cx, cy, size| of the outputs read by
   * the reader against the source's true ones; mean |fur RGB| read from reference-guided
   * outputs against the reference's true fur. Without the reader (uploads) only diversity.
   */
  decodeQuality(values: Float32Array): readonly number[] {
    const s = this.config.imageSize;
    const n = s * s * 3;
    const { targets, sources, references } = this.evaluation;
    const pairs = targets.length;
    let diversity = 0;
    for (let i = 0; i < pairs; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++)
        sum += Math.abs(values[i * n + j]! - values[(pairs + i) * n + j]!);
      diversity += sum / n;
    }
    diversity /= pairs;
    const attributes = this.data.testAttributes;
    if (!this.reader || !attributes) return [Number.NaN, diversity, Number.NaN, Number.NaN];
    let correct = 0;
    let content = 0;
    let fur = 0;
    for (let i = 0; i < pairs; i++) {
      const source = attributes[sources[Math.floor(i / this.numDomains)]!.index]!;
      for (const copy of [0, 1]) {
        const read = this.reader.read(values, s, (copy * pairs + i) * n);
        correct += Number(argmaxIn(read, READ_ATTRIBUTES.domain) === targets[i]);
        content += meanAbs(read, source, READ_ATTRIBUTES.content.offset, 3);
      }
      const read = this.reader.read(values, s, (2 * pairs + i) * n);
      correct += Number(argmaxIn(read, READ_ATTRIBUTES.domain) === targets[i]);
      const reference = attributes[references[i]!.index]!;
      fur += meanAbs(read, reference, READ_ATTRIBUTES.fur.offset, 3);
    }
    return [correct / (3 * pairs), diversity, content / (2 * pairs), fur / pairs];
  }

  /** The images of one input key: a held-out preview or an upload. */
  private input(key: string, inputs: RenderInputs): Float32Array {
    const s = this.config.imageSize;
    const image = this.previewByKey.get(key)?.pixels ?? inputs.get(key);
    if (!image) throw new Error(`No image "${key}" to translate`);
    if (image.length !== s * s * 3) throw new Error(`Images must be ${s} x ${s} px`);
    return image;
  }

  private stackInputs(keys: readonly string[], inputs: RenderInputs): tf.Tensor4D {
    const s = this.config.imageSize;
    const out = new Float32Array(keys.length * s * s * 3);
    keys.forEach((key, i) => {
      out.set(this.input(key, inputs), i * s * s * 3);
    });
    return tf.tensor4d(out, [keys.length, s, s, 3]);
  }

  /** The playground's images in one generator pass (see StylesRequest for their order). */
  render(request: StylesRequest, inputs: RenderInputs): tf.Tensor4D {
    const { latentDim } = this.config;
    const D = this.numDomains;
    const check = (d: number) => {
      if (!Number.isInteger(d) || d < 0 || d >= D) throw new Error(`No domain ${d}`);
    };
    for (const r of request.references) check(r.domain);
    return tf.tidy(() => {
      const m = this.model;
      const k = request.perDomain;
      const z = tf.tensor2d(new Rng(request.seed).normalArray(k * latentDim), [k, latentDim]);
      const means = m.meanStyles(
        tf.tensor2d(new Rng('mean-style').normalArray(MEAN_STYLE_LATENTS * latentDim), [
          MEAN_STYLE_LATENTS,
          latentDim,
        ]),
      );
      // Latent styles, domain-major [D * K, S], truncated: s_avg + psi (s - s_avg).
      const latentStyle = (d: number) => {
        const s = m.FEma(z, oneHot(Array(k).fill(d), D));
        const mean = tf.slice(means, [d, 0], [1, -1]);
        return tf.add(mean, tf.mul(request.psi, tf.sub(s, mean)));
      };
      const styles = tf.concat(Array.from({ length: D }, (_, d) => latentStyle(d)));
      const images: tf.Tensor4D[] = [];
      const styleRows: tf.Tensor2D[] = [];
      if (request.sources.length > 0) {
        const x = this.stackInputs(request.sources, inputs);
        const per = D * k;
        images.push(repeatEach(x, per));
        styleRows.push(tf.tile(styles, [request.sources.length, 1]) as tf.Tensor2D);
        if (request.references.length > 0) {
          const refs = this.stackInputs(
            request.references.map((r) => r.key),
            inputs,
          );
          const refStyles = m.EEma(
            refs,
            oneHot(
              request.references.map((r) => r.domain),
              D,
            ),
          );
          const nRef = request.references.length;
          images.push(repeatEach(x, nRef));
          styleRows.push(tf.tile(refStyles, [request.sources.length, 1]) as tf.Tensor2D);
        }
      }
      const interpolation = request.interpolation;
      if (interpolation) {
        const style = (choice: StyleChoice) => {
          check(choice.domain);
          if (choice.kind === 'latent') {
            if (choice.index < 0 || choice.index >= k) throw new Error('No such latent style');
            return tf.slice(styles, [choice.domain * k + choice.index, 0], [1, -1]);
          }
          return m.EEma(this.stackInputs([choice.key], inputs), oneHot([choice.domain], D));
        };
        const a = style(interpolation.a);
        const b = style(interpolation.b);
        images.push(this.stackInputs([interpolation.source], inputs));
        // s = (1 - t) s_a + t s_b: the slider moves along the line between the two codes.
        styleRows.push(tf.add(a, tf.mul(interpolation.t, tf.sub(b, a))) as tf.Tensor2D);
      }
      if (images.length === 0) {
        const s = this.config.imageSize;
        return tf.zeros([0, s, s, 3]) as tf.Tensor4D;
      }
      return m.GEma(tf.concat(images), tf.concat(styleRows));
    });
  }

  describeData() {
    return {
      name: this.config.data === 'uploaded' ? 'uploaded, one folder per domain' : 'toy animals',
      attributes: this.data.domains,
    };
  }

  networks(): ModelNetworks {
    return this.model.networks();
  }

  resumeState(): ResumeState {
    return { rngs: { data: this.dataRng.state() }, counters: { iteration: this.iteration } };
  }

  restoreResumeState(state: ResumeState): void {
    checkResumeState(state, ['data'], ['iteration']);
    this.dataRng.restore(state.rngs.data!);
    this.iteration = state.counters.iteration!;
  }

  dispose(): void {
    this.model.dispose();
    tf.dispose(Object.values(this.grid));
    const e = this.evaluation;
    tf.dispose([e.x, e.z, e.z2, e.y, e.xRef]);
  }
}

/** A grid layout: for each cell, where its image starts in the values (null: blank). */
function gridOf(
  rows: number,
  cols: number,
  size: number,
  offset: (row: number, col: number) => number | null,
): ImageGrid & { offsets: (number | null)[] } {
  const offsets: (number | null)[] = [];
  for (let row = 0; row < rows; row++)
    for (let col = 0; col < cols; col++) offsets.push(offset(row, col));
  return { rows, cols, size, pixels: new Uint8ClampedArray(0), offsets };
}
