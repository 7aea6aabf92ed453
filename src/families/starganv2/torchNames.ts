/**
 * clovaai/stargan-v2's checkpoints (core/checkpoint.py: `torch.save({'generator':
 * G.state_dict(), 'mapping_network': F.state_dict(), 'style_encoder': E.state_dict()}, f)`,
 * e.g. `100000_nets_ema.ckpt`; `_nets.ckpt` adds 'discriminator') to our StarGAN v2's EMA
 * networks and back. TF-free: plain typed arrays in and out. The checkpoint's nested dicts
 * reach us flattened as '<module>.<key>' (io/torch flattenTensors with '.').
 *
 *   generator.from_rgb                        G_ema/from_rgb                  Conv2d k3
 *   generator.encode.<i>.conv1 / conv2        G_ema/encode.<i>.conv1 / conv2  (ResBlk)
 *   generator.encode.<i>.norm1 / norm2        .../gamma, beta                 (InstanceNorm2d, affine)
 *   generator.encode.<i>.conv1x1              .../W (no bias)                 (channels change)
 *   generator.decode.<i>.norm1.fc / norm2.fc  G_ema/decode.<i>.norm1.fc ...   (AdaIN's Linear)
 *   generator.to_rgb.0 / to_rgb.2             G_ema/to_rgb.0 (IN) / to_rgb.2 (Conv2d 1x1)
 *   mapping_network.shared.<0|2|4|6>          F_ema/shared.<k>                Linear
 *   mapping_network.unshared.<d>.<0|2|4|6>    F_ema/unshared.<d>.<k>          Linear
 *   style_encoder.shared.0, .<1..R>, .<R+2>   E_ema/shared.<i>                conv, ResBlks, conv k4
 *   style_encoder.unshared.<d>                E_ema/unshared.<d>              Linear
 * Layouts: Conv2d OIHW -> our HWIO (permutation (2, 3, 1, 0), (3, 2, 0, 1) back); Linear
 * [out, in] -> our [in, out]; norm vectors as they are. Every InstanceNorm2d there keeps no
 * running statistics (track_running_stats=False), so the files hold weights only.
 *
 * What our model cannot be: the reference's generator with w_hpf > 0 (CelebA-HQ) skips the
 * AdaIN blocks' shortcuts and adds high-passed encoder features masked by the FAN's heatmaps;
 * ours is the w_hpf = 0 network (AFHQ's). Its checkpoints always hold the FAN ('fan', which
 * build_model registers with nets_ema and CheckpointIO.load requires) and, since the 2021
 * model.py, the generator's 'hpf.filter' buffer, so they are refused by those keys; a file
 * without them is a w_hpf = 0 generator. Widths and depths the reference ties
 * to img_size (dim_in = 2^14 / img_size, G's repeat_num = log2(img_size) - 4, 512 wide
 * mapping layers) are read from the shapes instead: ours are fields.
 */
import { formatShape, type TorchTensor } from '../../io/torch';
import { type OurTensor, permute4 } from '../../io/torch/layout';

export type { OurTensor } from '../../io/torch/layout';

/** The networks' hyperparameters, as read from the tensor shapes (our config's names). */
export interface StarGanV2TorchShape {
  /** img_size: 2^(style encoder's down-sampling ResBlks + 2). */
  readonly imageSize: number;
  /** dim_in: channels of from_rgb in G and of shared.0 in E. */
  readonly convDim: number;
  /** max_conv_dim: the channel cap (the deepest E block's width when the cap is not reached). */
  readonly maxConvDim: number;
  /** G's down-sampling ResBlks (encode blocks minus the two bottleneck ones). */
  readonly repeatNum: number;
  readonly styleDim: number;
  readonly latentDim: number;
  /** The mapping network's width (512 in the reference). */
  readonly hiddenDim: number;
  readonly numDomains: number;
}

/** The reference's module names, with the scope of the EMA network each fills here. */
export const MODULES = [
  ['generator', 'G_ema'],
  ['mapping_network', 'F_ema'],
  ['style_encoder', 'E_ema'],
] as const;

type Layout = 'conv' | 'linear' | 'vector';

interface NameEntry {
  readonly torch: string;
  readonly ours: string;
  readonly layout: Layout;
  /** The shape in the PyTorch file. */
  readonly torchShape: readonly number[];
}

/** Every weight of G, F and E with `shape`, in the reference's state_dict order. */
export function starganv2TorchNames(shape: StarGanV2TorchShape): NameEntry[] {
  const entries: NameEntry[] = [];
  let module = '';
  let scope = '';
  const at = (m: string, s: string) => {
    module = m;
    scope = s;
  };
  const push = (torch: string, ours: string, layout: Layout, torchShape: number[]): void => {
    entries.push({ torch: `${module}.${torch}`, ours: `${scope}/${ours}`, layout, torchShape });
  };
  const conv = (name: string, o: number, i: number, k: number, bias = true) => {
    push(`${name}.weight`, `${name}/W`, 'conv', [o, i, k, k]);
    if (bias) push(`${name}.bias`, `${name}/b`, 'vector', [o]);
  };
  const linear = (name: string, i: number, o: number) => {
    push(`${name}.weight`, `${name}/W`, 'linear', [o, i]);
    push(`${name}.bias`, `${name}/b`, 'vector', [o]);
  };
  const norm = (name: string, c: number) => {
    push(`${name}.weight`, `${name}/gamma`, 'vector', [c]);
    push(`${name}.bias`, `${name}/beta`, 'vector', [c]);
  };
  // ResBlk registers conv1, conv2, norm1, norm2, conv1x1 (AdainResBlk the same, AdaIN's fc).
  const resBlk = (name: string, dimIn: number, dimOut: number, normalize: boolean) => {
    conv(`${name}.conv1`, dimIn, dimIn, 3);
    conv(`${name}.conv2`, dimOut, dimIn, 3);
    if (normalize) {
      norm(`${name}.norm1`, dimIn);
      norm(`${name}.norm2`, dimIn);
    }
    if (dimIn !== dimOut) conv(`${name}.conv1x1`, dimOut, dimIn, 1, false);
  };
  const adainResBlk = (name: string, dimIn: number, dimOut: number) => {
    conv(`${name}.conv1`, dimOut, dimIn, 3);
    conv(`${name}.conv2`, dimOut, dimOut, 3);
    linear(`${name}.norm1.fc`, shape.styleDim, 2 * dimIn);
    linear(`${name}.norm2.fc`, shape.styleDim, 2 * dimOut);
    if (dimIn !== dimOut) conv(`${name}.conv1x1`, dimOut, dimIn, 1, false);
  };
  const { convDim, maxConvDim, repeatNum, numDomains, hiddenDim } = shape;

  at('generator', 'G_ema');
  conv('from_rgb', convDim, 3, 3);
  const blocks: [number, number][] = [];
  let dimIn = convDim;
  let dimOut = dimIn;
  for (let i = 0; i < repeatNum; i++) {
    dimOut = Math.min(dimIn * 2, maxConvDim);
    blocks.push([dimIn, dimOut]);
    dimIn = dimOut;
  }
  blocks.push([dimOut, dimOut], [dimOut, dimOut]);
  for (const [k, [i, o]] of blocks.entries()) resBlk(`encode.${k}`, i, o, true);
  // decode is built stack-like (insert(0, ...)): decode.k mirrors encode.(n - 1 - k).
  for (const [k, [i, o]] of [...blocks].reverse().entries()) adainResBlk(`decode.${k}`, o, i);
  norm('to_rgb.0', convDim);
  conv('to_rgb.2', 3, convDim, 1);

  at('mapping_network', 'F_ema');
  // Sequential(Linear, ReLU, ...): the Linears are at 0, 2, 4, 6.
  for (const k of [0, 2, 4, 6]) {
    linear(`shared.${k}`, k === 0 ? shape.latentDim : hiddenDim, hiddenDim);
  }
  for (let d = 0; d < numDomains; d++) {
    for (const k of [0, 2, 4, 6]) {
      linear(`unshared.${d}.${k}`, hiddenDim, k === 6 ? shape.styleDim : hiddenDim);
    }
  }

  at('style_encoder', 'E_ema');
  const repeat = Math.log2(shape.imageSize) - 2;
  conv('shared.0', convDim, 3, 3);
  dimIn = convDim;
  dimOut = dimIn;
  for (let i = 0; i < repeat; i++) {
    dimOut = Math.min(dimIn * 2, maxConvDim);
    resBlk(`shared.${i + 1}`, dimIn, dimOut, false);
    dimIn = dimOut;
  }
  conv(`shared.${repeat + 2}`, dimOut, dimOut, 4);
  for (let d = 0; d < numDomains; d++) linear(`unshared.${d}`, dimOut, shape.styleDim);
  return entries;
}

/** Raised for a checkpoint that is not clovaai's StarGAN v2; the message names the first mismatch. */
export class StarGanV2CheckpointError extends Error {
  override readonly name = 'StarGanV2CheckpointError';
}

/** Top-level keys of the reference's checkpoints; 'fan' is w_hpf > 0's landmark network. */
const KNOWN_MODULES = ['generator', 'mapping_network', 'style_encoder', 'discriminator', 'fan'];

/**
 * Whether the flattened checkpoint is clovaai's layout by its names (a dict of the reference's
 * modules, or a lone Generator state_dict), so its refusal is the one to show.
 */
export function looksLikeStarGanV2(names: readonly string[]): boolean {
  return names.some(
    (n) => KNOWN_MODULES.some((m) => n.startsWith(`${m}.`)) || n.startsWith('from_rgb.'),
  );
}

/** '<module>.module.<key>' (a DataParallel wrapper saved as is) or 'module.<module>...' -> '<module>.<key>'. */
function canonical(name: string): string {
  const bare = name.startsWith('module.') ? name.slice(7) : name;
  const dot = bare.indexOf('.');
  if (dot > 0 && bare.startsWith('module.', dot + 1)) {
    return bare.slice(0, dot + 1) + bare.slice(dot + 8);
  }
  return bare;
}

/** Number of consecutive indices i >= from for which `has(i)`. */
function countFrom(from: number, has: (i: number) => boolean): number {
  let n = 0;
  while (has(from + n)) n++;
  return n;
}

/** The hyperparameters the checkpoint's shapes imply; refuses what is not this network. */
export function inferStarGanV2Shape(
  tensors: Readonly<Record<string, TorchTensor>>,
): StarGanV2TorchShape {
  const names = Object.keys(tensors);
  // w_hpf > 0: the FAN is saved with nets_ema, and since 2021 the generator's high-pass
  // filter is a registered buffer (generator.hpf.filter) too.
  const hpf = names.find((n) => n.startsWith('fan.') || n === 'generator.hpf.filter');
  if (hpf) {
    throw new StarGanV2CheckpointError(
      `The checkpoint holds ${hpf}, a w_hpf > 0 model's (the CelebA-HQ model): its AdaIN blocks skip their shortcuts and take high-passed encoder features masked by the FAN, which this page's StarGAN v2 (w_hpf = 0, as the AFHQ model) does not build`,
    );
  }
  if (names.some((n) => n.startsWith('from_rgb.'))) {
    throw new StarGanV2CheckpointError(
      "This is a lone Generator state_dict: styles need the mapping network and style encoder too; load clovaai's checkpoint with generator, mapping_network and style_encoder (…_nets_ema.ckpt)",
    );
  }
  for (const [module] of MODULES) {
    if (!names.some((n) => n.startsWith(`${module}.`))) {
      throw new StarGanV2CheckpointError(
        `The checkpoint has no ${module}; clovaai/stargan-v2's …_nets_ema.ckpt holds generator, mapping_network and style_encoder`,
      );
    }
  }
  const need = (name: string, rank: number): readonly number[] => {
    const t = tensors[name];
    if (!t) throw new StarGanV2CheckpointError(`The checkpoint lacks ${name}`);
    if (t.shape.length !== rank) {
      throw new StarGanV2CheckpointError(
        `${name} is ${formatShape(t.shape)}, not a ${rank}D tensor`,
      );
    }
    return t.shape;
  };
  const [convDim] = need('generator.from_rgb.weight', 4);
  const encode = countFrom(0, (i) => `generator.encode.${i}.conv1.weight` in tensors);
  if (encode < 3) {
    throw new StarGanV2CheckpointError(
      `The generator has ${encode} encode blocks; the reference has its down-sampling blocks and two bottleneck ones, and the page builds at least one down-sampling`,
    );
  }
  const [, styleDim] = need('generator.decode.0.norm1.fc.weight', 2);
  const [hiddenDim, latentDim] = need('mapping_network.shared.0.weight', 2);
  const numDomains = countFrom(0, (d) => `mapping_network.unshared.${d}.0.weight` in tensors);
  const eRepeat = countFrom(1, (i) => `style_encoder.shared.${i}.conv1.weight` in tensors);
  const [eTop] = need(`style_encoder.shared.${eRepeat + 2}.weight`, 4);
  // E doubles its width per block up to the cap: a top below convDim * 2^R is the cap itself;
  // otherwise the cap is never reached and any larger one builds the same networks.
  return {
    imageSize: 2 ** (eRepeat + 2),
    convDim: convDim!,
    maxConvDim: eTop!,
    repeatNum: encode - 2,
    styleDim: styleDim!,
    latentDim: latentDim!,
    hiddenDim: hiddenDim!,
    numDomains,
  };
}

/** Our [in, out] from PyTorch's [out, in], or back. */
function transpose2(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

const TO_OURS = [2, 3, 1, 0] as const;
const TO_TORCH = [3, 2, 0, 1] as const;

const oursShape = (e: NameEntry): number[] =>
  e.layout === 'conv'
    ? TO_OURS.map((p) => e.torchShape[p]!)
    : e.layout === 'linear'
      ? [e.torchShape[1]!, e.torchShape[0]!]
      : [...e.torchShape];

/** What a checked checkpoint becomes: its shape and, per our weight name, a lazy conversion. */
export interface StarGanV2FromTorch {
  readonly shape: StarGanV2TorchShape;
  /** Our EMA networks' weight names with their shapes, in the reference's order. */
  readonly specs: readonly { readonly name: string; readonly shape: number[] }[];
  /** The value of one of our weights, converted on demand (one tensor's copy at a time). */
  value(name: string): OurTensor;
  /** Whether the file also held a discriminator (…_nets.ckpt), which is not loaded. */
  readonly discriminator: boolean;
}

/**
 * Checks a flattened clovaai checkpoint against the networks its own shapes imply and maps it
 * to our names. Refuses, naming the first mismatch in file order (an unknown key or a wrong
 * shape), else the first missing key in the reference's order. Leading `module.`s
 * (nn.DataParallel) are accepted; a discriminator is checked for nothing and left out.
 */
export function starganv2FromTorch(
  input: Readonly<Record<string, TorchTensor>>,
): StarGanV2FromTorch {
  const tensors: Record<string, TorchTensor> = {};
  for (const [k, v] of Object.entries(input)) tensors[canonical(k)] = v;
  const shape = inferStarGanV2Shape(tensors);
  const entries = starganv2TorchNames(shape);
  const byTorch = new Map(entries.map((e) => [e.torch, e]));
  const what =
    `clovaai/stargan-v2's networks with img_size ${shape.imageSize}, dim_in ${shape.convDim}, ` +
    `max_conv_dim ${shape.maxConvDim}, ${shape.repeatNum} down-sampling blocks in G, ` +
    `style_dim ${shape.styleDim}, latent_dim ${shape.latentDim}, hidden width ${shape.hiddenDim}, ` +
    `num_domains ${shape.numDomains}`;
  let discriminator = false;
  for (const [name, t] of Object.entries(tensors)) {
    if (name.startsWith('discriminator.')) {
      discriminator = true;
      continue;
    }
    const entry = byTorch.get(name);
    if (!entry) {
      throw new StarGanV2CheckpointError(
        `The checkpoint has ${name} ${formatShape(t.shape)}, which ${what} does not have`,
      );
    }
    const expected = entry.torchShape;
    if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
      throw new StarGanV2CheckpointError(
        `${name} is ${formatShape(t.shape)} where ${what} has ${formatShape(expected)}`,
      );
    }
    if (!(t.data instanceof Float32Array)) {
      throw new StarGanV2CheckpointError(`${name} is ${t.dtype}, not a float32 tensor`);
    }
  }
  for (const e of entries) {
    if (!(e.torch in tensors)) {
      throw new StarGanV2CheckpointError(`The checkpoint lacks ${e.torch}, which ${what} has`);
    }
  }
  const byOurs = new Map(entries.map((e) => [e.ours, e]));
  return {
    shape,
    discriminator,
    specs: entries.map((e) => ({ name: e.ours, shape: oursShape(e) })),
    value(name) {
      const e = byOurs.get(name);
      if (!e) throw new Error(`No StarGAN v2 weight ${name}`);
      const data = tensors[e.torch]!.data as Float32Array;
      if (e.layout === 'conv') return permute4(data, e.torchShape, TO_OURS);
      if (e.layout === 'linear') {
        const [o, i] = e.torchShape as [number, number];
        return { shape: [i, o], data: transpose2(data, o, i) };
      }
      return { shape: [...e.torchShape], data };
    },
  };
}

/**
 * Our EMA networks' weights (by our names, in our layouts) as clovaai's checkpoint, flattened:
 * '<module>.<key>' in the reference's key order (a dict of the modules' state_dicts once written).
 */
export function starganv2ToTorch(
  shape: StarGanV2TorchShape,
  ours: ReadonlyMap<string, OurTensor>,
): Record<string, OurTensor> {
  const out: Record<string, OurTensor> = {};
  for (const e of starganv2TorchNames(shape)) {
    const t = ours.get(e.ours);
    if (!t) throw new Error(`The model has no ${e.ours}`);
    if (e.layout === 'conv') out[e.torch] = permute4(t.data, t.shape, TO_TORCH);
    else if (e.layout === 'linear') {
      const [i, o] = t.shape as [number, number];
      out[e.torch] = { shape: [o, i], data: transpose2(t.data, i, o) };
    } else out[e.torch] = { shape: [...t.shape], data: t.data };
  }
  return out;
}
