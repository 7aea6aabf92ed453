import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/random';
import { EXPRESSIONS, FACE_ATTRIBUTES, FaceDataset, type FaceDatasetKind } from '../../data/faces';
import { gatherImages, type LabelledImages } from '../../data/labelledImages';
import { toRgba } from '../../data/pixels';
import { splitHeldOut, UserImageSet } from '../../data/userImages';
import {
  checkResumeState,
  type Experiment,
  type ExperimentResources,
  type QualityPart,
  type RenderInputs,
  type ResumeState,
  type StepResult,
  type UploadedData,
} from '../../engine/experiment';
import { uploadTogether } from '../../engine/upload';
import { type FaceClassifier, labelAccuracy } from '../../metrics/faceClassifier';
import { repeatEach } from '../../models/shared/conv';
import type { ModelNetworks } from '../../models/shared/networks';
import { linearDecay } from '../../models/shared/optim';
import { type LabelBlock, StarGan, type StarGanBatch } from '../../models/stargan';
import { STARGAN_LOSS_NAMES, type StarGanConfig } from '../../models/stargan.config';
import type { StepPhase } from '../../protocol/messages';
import { attributeTargets, caption, expressionTargets, labelCaption, labelTargets } from './labels';
import {
  type FaceDomain,
  type FrameStarGan,
  type InfoStarGan,
  type LabelDomainInfo,
  previewKey,
  type TranslateRequest,
} from './spec';

const HELD_OUT = 64;
const GRID_ROWS = 3;
const EVAL_FACES = 16;
/** Held-out faces per part of a quality measurement (see qualityTensor). */
const FACES_PER_PART = 4;
const PARTS_PER_DOMAIN = EVAL_FACES / FACES_PER_PART;
const PREVIEW_PER_DOMAIN = 12;

/** One data set in training: its images, where its labels go in c, and its loss block. */
interface Domain {
  readonly info: LabelDomainInfo;
  readonly train: LabelledImages;
  readonly test: LabelledImages;
  readonly block: LabelBlock;
  /** Index of this domain's bit in the mask vector, or null outside mask-vector mode. */
  readonly maskBit: number | null;
  /** The test grid's columns for an image labelled `org`. */
  targets(org: readonly number[]): { title: string; labels: number[] }[];
  caption(labels: readonly number[]): string;
}

const TOY_DOMAINS: Record<FaceDatasetKind, LabelDomainInfo> = {
  celeba: {
    name: 'celeba',
    title: 'Attributes (toy CelebA)',
    labels: FACE_ATTRIBUTES,
    kind: 'attributes',
    group: [0, 1, 2],
  },
  rafd: {
    name: 'rafd',
    title: 'Expressions (toy RaFD)',
    labels: EXPRESSIONS,
    kind: 'oneOf',
    group: [0, 1, 2, 3, 4],
  },
};

function toyDomain(
  name: FaceDatasetKind,
  config: StarGanConfig,
  rng: Rng,
): Omit<Domain, 'block' | 'maskBit'> {
  return {
    info: TOY_DOMAINS[name],
    train: new FaceDataset(name, config.datasetSize, config.imageSize, rng.fork(`${name}-train`)),
    test: new FaceDataset(name, HELD_OUT, config.imageSize, rng.fork(`${name}-test`)),
    targets: name === 'celeba' ? attributeTargets : () => expressionTargets(),
    caption: (labels) => caption(name, labels),
  };
}

/** An uploaded set as StarGAN's one data set: its chosen labels, a held-out test split. */
function uploadedDomain(
  data: UploadedData,
  config: StarGanConfig,
  rng: Rng,
): Omit<Domain, 'block' | 'maskBit'> {
  const { summary, images } = data;
  if (summary.labelNames.length === 0) {
    throw new Error(`StarGAN needs labels; “${summary.name}” has none (use it with an image GAN)`);
  }
  const { train, test } = splitHeldOut(images.count, rng.fork('split'));
  const info: LabelDomainInfo = {
    name: 'celeba',
    title: `${summary.labelMode === 'domains' ? 'Domains' : 'Attributes'} (${summary.name})`,
    labels: summary.labelNames,
    kind: summary.labelMode === 'domains' ? 'oneOf' : 'attributes',
    group: summary.labelMode === 'domains' ? summary.labelNames.map((_, i) => i) : summary.group,
  };
  return {
    info,
    train: new UserImageSet(images, config.imageSize, train),
    test: new UserImageSet(images, config.imageSize, test),
    targets: (org) => labelTargets(org, info),
    caption: (labels) => labelCaption(labels, info),
  };
}

/**
 * StarGAN's networks for `config` without its data: G's label input and D's logits follow the
 * domains' label counts, as in the experiment. Null for an uploaded set not given (its labels
 * are not known here).
 */
export function starganModel(
  config: StarGanConfig,
  rng: Rng,
  uploaded: UploadedData | null,
): StarGan | null {
  let counts: number[];
  if (config.data === 'uploaded') {
    if (!uploaded) return null;
    counts = [uploaded.summary.labelNames.length];
  } else {
    const kinds: FaceDatasetKind[] = config.data === 'both' ? ['celeba', 'rafd'] : [config.data];
    counts = kinds.map((name) => TOY_DOMAINS[name].labels.length);
  }
  const clsDim = counts.reduce((a, b) => a + b, 0);
  return new StarGan(config, clsDim + (counts.length > 1 ? counts.length : 0), clsDim, rng);
}

export class StarGanExperiment implements Experiment {
  readonly info: InfoStarGan;
  readonly frameIntervalMs = 1000;
  readonly model: StarGan;
  private readonly domains: Domain[];
  private readonly cDim: number;
  private readonly dataRng: Rng;
  private iteration = 0;
  private lastD: tf.Tensor1D | null = null;
  private lastG: tf.Tensor1D | null = null;
  private readonly classifier: FaceClassifier | null;
  /** The held-out preview faces, by the keys render requests name them with. */
  private readonly previewByKey: ReadonlyMap<string, Float32Array>;
  private readonly grid: {
    inputs: tf.Tensor4D;
    repeated: tf.Tensor4D;
    c: tf.Tensor2D;
    cols: number;
  };
  private readonly evaluation: {
    readonly domain: Domain;
    readonly inputs: tf.Tensor4D;
    readonly cTrg: tf.Tensor2D;
    readonly labelTrg: tf.Tensor2D;
    readonly cOrg: tf.Tensor2D;
  }[];
  /** The next part of the quality measurement, and the sums of the parts so far. */
  private qualityPart = 0;
  private qualitySums: Float64Array;

  constructor(
    readonly config: StarGanConfig,
    seed: number,
    resources: ExperimentResources,
  ) {
    const rng = new Rng(seed);
    const uploaded = config.data === 'uploaded';
    // The face classifier knows the toy faces' labels only.
    this.classifier = uploaded ? null : resources.classifier;
    let sources: Omit<Domain, 'block' | 'maskBit'>[];
    if (uploaded) {
      if (!resources.uploaded) throw new Error('Choose an uploaded data set to train on');
      sources = [uploadedDomain(resources.uploaded, config, rng)];
    } else {
      const kinds: FaceDatasetKind[] = config.data === 'both' ? ['celeba', 'rafd'] : [config.data];
      sources = kinds.map((name) => toyDomain(name, config, rng));
    }
    const maskMode = sources.length > 1;
    let offset = 0;
    this.domains = sources.map((source, k) => {
      const size = source.info.labels.length;
      const block: LabelBlock = { offset, size, kind: source.info.kind };
      offset += size;
      return { ...source, block, maskBit: maskMode ? k : null };
    });
    const kinds = this.domains.map((d) => d.info.name);
    // c = [labels of every block, then the mask one-hot in mask-vector mode].
    this.cDim = offset + (maskMode ? kinds.length : 0);
    this.model = new StarGan(config, this.cDim, offset, rng.fork('model'));
    this.dataRng = rng.fork('data');

    const gridDomain = this.domains[0]!;
    const gridTargets = (labels: number[]) => [
      ...gridDomain.targets(labels).map((t) => ({ ...t, c: this.cVector(gridDomain, t.labels) })),
      // In mask-vector mode the CelebA faces are also given RaFD's expressions, as in the paper.
      ...(maskMode
        ? expressionTargets().map((t) => ({ ...t, c: this.cVector(this.domains[1]!, t.labels) }))
        : []),
    ];
    const gridRows = Array.from({ length: GRID_ROWS }, (_, i) => i);
    const rowTargets = gridRows.map((i) => gridTargets(Array.from(gridDomain.test.label(i))));
    const cols = rowTargets[0]!.length;
    const { images } = gatherImages(gridDomain.test, gridRows);
    const s = config.imageSize;
    this.grid = tf.tidy(() => {
      const inputs = tf.tensor4d(images, [GRID_ROWS, s, s, 3]);
      const repeated = repeatEach(inputs, cols);
      const c = tf.tensor2d(
        rowTargets.flatMap((targets) => targets.flatMap((t) => t.c)),
        [GRID_ROWS * cols, this.cDim],
      );
      return { inputs, repeated, c, cols };
    });

    const evalRng = rng.fork('evaluation');
    this.evaluation = this.classifier
      ? this.domains.map((domain) => {
          const indices = Array.from({ length: EVAL_FACES }, (_, i) => GRID_ROWS + i);
          const faces = gatherImages(domain.test, indices);
          const targets = indices.map(() => this.randomLabels(domain, evalRng));
          const orgs = indices.map((i) => Array.from(domain.test.label(i)));
          return {
            domain,
            inputs: tf.tensor4d(faces.images, [EVAL_FACES, s, s, 3]),
            cTrg: tf.tensor2d(
              targets.map((t) => this.cVector(domain, t)),
              [EVAL_FACES, this.cDim],
            ),
            labelTrg: tf.tensor2d(targets, [EVAL_FACES, domain.block.size]),
            cOrg: tf.tensor2d(
              orgs.map((t) => this.cVector(domain, t)),
              [EVAL_FACES, this.cDim],
            ),
          };
        })
      : [];

    this.qualitySums = new Float64Array(2 * this.evaluation.length);

    const preview = this.preview();
    const n = s * s * 3;
    this.previewByKey = new Map(
      Array.from({ length: preview.count }, (_, i) => [
        previewKey(i),
        preview.images.slice(i * n, (i + 1) * n),
      ]),
    );
    this.info = {
      kind: 'stargan',
      lossNames: STARGAN_LOSS_NAMES,
      qualityNames: ['Attribute accuracy', 'Expression accuracy', 'Preservation L1'],
      imageSize: s,
      domains: this.domains.map((d) => d.info),
      gridColumns: ['Input', ...rowTargets[0]!.map((t) => t.title)],
      preview,
      classifierAccuracy: this.classifier ? resources.classifierAccuracy : null,
    };
  }

  private preview(): InfoStarGan['preview'] {
    const s = this.config.imageSize;
    const faces = this.domains.flatMap((domain) =>
      Array.from({ length: Math.min(PREVIEW_PER_DOMAIN, domain.test.count) }, (_, i) => ({
        domain,
        index: i,
      })),
    );
    const images = new Float32Array(faces.length * s * s * 3);
    faces.forEach(({ domain, index }, i) => {
      images.set(domain.test.image(index), i * s * s * 3);
    });
    const labels = faces.map(({ domain, index }) => Array.from(domain.test.label(index)));
    const captions = faces.map(({ domain }, i) => domain.caption(labels[i]!));
    return {
      images,
      count: faces.length,
      captions,
      labels,
    };
  }

  /** A valid random label vector for the domain: one of its group (hair colour), the rest 0/1. */
  private randomLabels(domain: Domain, rng: Rng): number[] {
    const { group, labels } = domain.info;
    const chosen = group.length > 0 ? group[rng.int(group.length)]! : -1;
    return labels.map((_, i) => (group.includes(i) ? Number(i === chosen) : rng.int(2)));
  }

  /** G's label input for `labels` of one data set: zeros for the other block, and the mask. */
  conditionFor(name: FaceDomain, labels: readonly number[]): number[] {
    const domain = this.domains.find((d) => d.info.name === name);
    if (!domain) throw new Error(`This model was not trained on ${name}`);
    return this.cVector(domain, labels);
  }

  private cVector(domain: Domain, labels: readonly number[]): number[] {
    const c = new Array<number>(this.cDim).fill(0);
    labels.forEach((v, i) => {
      c[domain.block.offset + i] = v;
    });
    if (domain.maskBit !== null) c[this.cDim - this.domains.length + domain.maskBit] = 1;
    return c;
  }

  /** A training batch: faces with random flips, their labels, and targets by shuffling them. */
  private batch(domain: Domain): StarGanBatch & { alpha: tf.Tensor4D } {
    const { batchSize: n, imageSize: s } = this.config;
    const indices = Array.from({ length: n }, () => this.dataRng.int(domain.train.count));
    const flips = indices.map(() => this.dataRng.uniform() < 0.5);
    const { images, labels } = gatherImages(domain.train, indices, flips);
    const width = domain.block.size;
    const rows = indices.map((_, i) => Array.from(labels.subarray(i * width, (i + 1) * width)));
    // The reference's label_trg = label_org[randperm(N)].
    const order = indices.map((_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.dataRng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const targets = order.map((i) => rows[i]!);
    const flat = (r: readonly (readonly number[])[]) => Float32Array.from(r.flat());
    // One upload for the step's six arrays (uploadTogether), where each was one.
    const [xReal, labelOrg, labelTrg, cOrg, cTrg, alpha] = uploadTogether([
      { values: images, shape: [n, s, s, 3] },
      { values: flat(rows), shape: [n, width] },
      { values: flat(targets), shape: [n, width] },
      { values: flat(rows.map((r) => this.cVector(domain, r))), shape: [n, this.cDim] },
      { values: flat(targets.map((r) => this.cVector(domain, r))), shape: [n, this.cDim] },
      { values: this.dataRng.uniformArray(n, 0, 1), shape: [n, 1, 1, 1] },
    ]);
    return {
      xReal: xReal as tf.Tensor4D,
      labelOrg: labelOrg as tf.Tensor2D,
      labelTrg: labelTrg as tf.Tensor2D,
      cOrg: cOrg as tf.Tensor2D,
      cTrg: cTrg as tf.Tensor2D,
      block: domain.block,
      alpha: alpha as tf.Tensor4D,
    };
  }

  get stepsPerIteration(): number {
    return this.config.nCritic;
  }

  /**
   * One iteration of the reference loop for each data set in turn: a D update, and a G update
   * every nCritic iterations ('D' and 'G' run one network alone, as GAN Lab's buttons).
   */
  step(phase: StepPhase): StepResult {
    const { lrG, lrD, numIters, nCritic } = this.config;
    this.iteration++;
    this.model.setLearningRates(
      linearDecay(lrG, this.iteration, numIters),
      linearDecay(lrD, this.iteration, numIters),
    );
    const trainG = phase === 'G' || (phase === 'both' && (this.iteration - 1) % nCritic === 0);
    for (const domain of this.domains) {
      const batch = this.batch(domain);
      if (phase !== 'G') this.keepLosses('D', this.model.trainD(batch, batch.alpha));
      if (trainG) this.keepLosses('G', this.model.trainG(batch));
      tf.dispose([
        batch.xReal,
        batch.labelOrg,
        batch.labelTrg,
        batch.cOrg,
        batch.cTrg,
        batch.alpha,
      ]);
    }
    // Like the reference's log, every row carries the latest losses of both networks, so G's
    // curves are drawn even though G trains on one iteration in nCritic.
    const losses = tf.tidy(() =>
      tf.concat([this.lastD ?? tf.fill([3], Number.NaN), this.lastG ?? tf.fill([3], Number.NaN)]),
    ) as tf.Tensor1D;
    const d = this.lastD !== null;
    const g = this.lastG !== null;
    return { losses, computed: [d, d, d, g, g, g] };
  }

  private keepLosses(network: 'D' | 'G', losses: tf.Tensor1D): void {
    if (network === 'D') {
      this.lastD?.dispose();
      this.lastD = losses;
    } else {
      this.lastG?.dispose();
      this.lastG = losses;
    }
  }

  frameTensor(): tf.Tensor1D {
    return tf.tidy(() => {
      const outputs = this.model.G(this.grid.repeated, this.grid.c);
      return tf.concat([
        tf.reshape(this.grid.inputs, [-1]),
        tf.reshape(outputs, [-1]),
      ]) as tf.Tensor1D;
    });
  }

  // Two G passes and the classifier over the held-out faces cost several grids, so the
  // trainer measures them on a slower cadence, a few faces of one domain per part.
  qualityTensor(): tf.Tensor1D {
    return tf.tidy(() => {
      const evaluation = this.evaluation[Math.floor(this.qualityPart / PARTS_PER_DOMAIN)];
      if (!evaluation) return tf.zeros([0]) as tf.Tensor1D;
      const first = (this.qualityPart % PARTS_PER_DOMAIN) * FACES_PER_PART;
      const rows = <T extends tf.Tensor>(t: T) => tf.slice(t, first, FACES_PER_PART) as T;
      const inputs = rows(evaluation.inputs);
      const translated = this.model.G(inputs, rows(evaluation.cTrg));
      const logits = this.classifier!.logits(translated);
      const kind = evaluation.domain.info.name === 'celeba' ? 'attributes' : 'expressions';
      const kept = this.model.G(inputs, rows(evaluation.cOrg));
      return tf.stack([
        labelAccuracy(logits, rows(evaluation.labelTrg), kind),
        tf.mean(tf.abs(tf.sub(kept, inputs))),
      ]) as tf.Tensor1D;
    });
  }

  decodeQuality(values: Float32Array): QualityPart {
    // Without the classifier (uploaded faces, or it failed to load) there are no figures.
    if (this.evaluation.length === 0) return null;
    const domain = Math.floor(this.qualityPart / PARTS_PER_DOMAIN);
    // Parts hold equally many faces, so the mean of their means is the mean over all faces.
    const sums = this.qualitySums;
    sums[2 * domain] = sums[2 * domain]! + values[0]! / PARTS_PER_DOMAIN;
    sums[2 * domain + 1] = sums[2 * domain + 1]! + values[1]! / PARTS_PER_DOMAIN;
    this.qualityPart++;
    if (this.qualityPart < this.evaluation.length * PARTS_PER_DOMAIN) return 'pending';
    this.qualityPart = 0;
    this.qualitySums = new Float64Array(sums.length);
    const byDomain = new Map(this.evaluation.map((e, i) => [e.domain.info.name, i]));
    const transfer = (name: FaceDomain) => {
      const i = byDomain.get(name);
      return i === undefined ? Number.NaN : sums[2 * i]!;
    };
    const preservation = this.evaluation.map((_, i) => sums[2 * i + 1]!);
    return [
      transfer('celeba'),
      transfer('rafd'),
      preservation.reduce((a, b) => a + b, 0) / preservation.length,
    ];
  }

  decodeFrame(values: Float32Array, step: number): FrameStarGan {
    const s = this.config.imageSize;
    const pixels = s * s;
    const { cols } = this.grid;
    const gridCols = cols + 1;
    const rgba = new Uint8ClampedArray(GRID_ROWS * gridCols * pixels * 4);
    const outputsOffset = GRID_ROWS * pixels * 3;
    for (let row = 0; row < GRID_ROWS; row++) {
      for (let col = 0; col < gridCols; col++) {
        const source =
          col === 0 ? row * pixels * 3 : outputsOffset + (row * cols + col - 1) * pixels * 3;
        rgba.set(toRgba(values, pixels, source), (row * gridCols + col) * pixels * 4);
      }
    }
    return {
      kind: 'stargan',
      step,
      grid: { rows: GRID_ROWS, cols: gridCols, size: s, pixels: rgba },
      quality: null,
    };
  }

  render(request: TranslateRequest, inputs: RenderInputs): tf.Tensor4D {
    const s = this.config.imageSize;
    const faces = request.inputs.map((key) => {
      const face = this.previewByKey.get(key) ?? inputs.get(key);
      if (!face) throw new Error(`No face "${key}" to translate`);
      if (face.length !== s * s * 3) throw new Error(`Faces must be ${s} x ${s} px`);
      return face;
    });
    const count = faces.length;
    const pixels = new Float32Array(count * s * s * 3);
    faces.forEach((face, i) => {
      pixels.set(face, i * face.length);
    });
    const c = this.conditionFor(request.domain, request.values);
    return tf.tidy(() =>
      this.model.G(
        tf.tensor4d(pixels, [count, s, s, 3]),
        tf.tensor2d(
          Array.from({ length: count }, () => c),
          [count, this.cDim],
        ),
      ),
    );
  }

  describeData() {
    const data = this.config.data;
    return {
      name:
        data === 'uploaded'
          ? `uploaded: ${this.info.domains[0]?.title ?? ''}`
          : `toy faces (${data})`,
      attributes: this.info.domains.flatMap((d) => d.labels),
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
    tf.dispose([this.lastD, this.lastG].filter((t): t is tf.Tensor1D => t !== null));
    tf.dispose([this.grid.inputs, this.grid.repeated, this.grid.c]);
    for (const e of this.evaluation) tf.dispose([e.inputs, e.cTrg, e.labelTrg, e.cOrg]);
  }
}
