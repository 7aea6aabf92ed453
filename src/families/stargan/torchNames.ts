/**
 * yunjey/stargan's Generator state_dict (model.py; `200000-G.ckpt`) to our StarGAN generator
 * weights and back. TF-free: plain typed arrays in, plain typed arrays out.
 *
 *   main.0.weight                  G/in/conv/W       Conv2d k7, [conv_dim, 3 + c_dim, 7, 7]
 *   main.1.weight / .bias          G/in/norm/gamma / beta   (InstanceNorm2d, affine)
 *   main.3 / main.4                G/down0/conv, G/down0/norm   (Conv2d k4 s2 p1)
 *   main.6 / main.7                G/down1/conv, G/down1/norm
 *   main.(9+i).main.0 / .1 / .3 / .4   G/res<i>/conv0, norm0, conv1, norm1   (ResidualBlock)
 *   main.(9+R) / (10+R)            G/up0/deconv, G/up0/norm   (ConvTranspose2d k4 s2 p1)
 *   main.(12+R) / (13+R)           G/up1/deconv, G/up1/norm
 *   main.(15+R)                    G/out/conv/W      Conv2d k7 -> 3
 * (the ReLUs and the Tanh hold no weights; R = repeat_num). Layouts: Conv2d OIHW -> our HWIO,
 * ConvTranspose2d IOHW -> our [kh, kw, out, in]: both are the permutation (2, 3, 1, 0), and
 * (3, 2, 0, 1) back; this is make_fixtures.py's map, which the parity tests prove.
 *
 * Every InstanceNorm2d there has track_running_stats=True, so the checkpoints also hold
 * running_mean, running_var and (PyTorch >= 0.4.1) num_batches_tracked. solver.py never
 * calls G.eval(): G normalises with each image's own statistics, as ours does, and those
 * buffers are never used. Reading ignores them; writing puts their initial values (0, 1, 0)
 * so that load_state_dict(strict=True) accepts the file.
 */
import {
  checkStateDict,
  formatShape,
  type OurTensor,
  permute4,
  type TorchTensor,
  withoutDataParallel,
} from '../../io/torch';

export type { OurTensor };

/** yunjey/stargan's Generator hyperparameters, as read from the tensor shapes. */
export interface StarGanTorchShape {
  /** conv_dim: channels of the first conv (64 in the reference). */
  readonly convDim: number;
  /** c_dim: length of the label vector (5 for the CelebA model). */
  readonly cDim: number;
  /** repeat_num: residual blocks (6 in the reference). */
  readonly repeatNum: number;
}

type Layout = 'conv' | 'deconv' | 'vector';

interface NameEntry {
  readonly torch: string;
  readonly ours: string;
  readonly layout: Layout;
  /** The shape in the PyTorch file. */
  readonly torchShape: readonly number[];
}

/** One norm module's (affine) weights, and its buffers' PyTorch names. */
interface NormEntry {
  readonly torchPrefix: string;
  readonly channels: number;
}

/** Every weight of the generator with `shape`, in the reference's state_dict order. */
export function starganTorchNames(shape: StarGanTorchShape): {
  entries: NameEntry[];
  norms: NormEntry[];
} {
  const { convDim, cDim, repeatNum } = shape;
  const entries: NameEntry[] = [];
  const norms: NormEntry[] = [];
  const conv = (torch: string, ours: string, o: number, i: number, k: number) =>
    entries.push({
      torch: `${torch}.weight`,
      ours: `G/${ours}/W`,
      layout: 'conv',
      torchShape: [o, i, k, k],
    });
  const deconv = (torch: string, ours: string, i: number, o: number) =>
    entries.push({
      torch: `${torch}.weight`,
      ours: `G/${ours}/W`,
      layout: 'deconv',
      torchShape: [i, o, 4, 4],
    });
  const norm = (torch: string, ours: string, c: number) => {
    entries.push(
      { torch: `${torch}.weight`, ours: `G/${ours}/gamma`, layout: 'vector', torchShape: [c] },
      { torch: `${torch}.bias`, ours: `G/${ours}/beta`, layout: 'vector', torchShape: [c] },
    );
    norms.push({ torchPrefix: torch, channels: c });
  };
  conv('main.0', 'in/conv', convDim, 3 + cDim, 7);
  norm('main.1', 'in/norm', convDim);
  let c = convDim;
  for (let i = 0; i < 2; i++) {
    conv(`main.${3 + 3 * i}`, `down${i}/conv`, 2 * c, c, 4);
    norm(`main.${4 + 3 * i}`, `down${i}/norm`, 2 * c);
    c *= 2;
  }
  for (let i = 0; i < repeatNum; i++) {
    const block = `main.${9 + i}.main`;
    conv(`${block}.0`, `res${i}/conv0`, c, c, 3);
    norm(`${block}.1`, `res${i}/norm0`, c);
    conv(`${block}.3`, `res${i}/conv1`, c, c, 3);
    norm(`${block}.4`, `res${i}/norm1`, c);
  }
  const up = 9 + repeatNum;
  for (let i = 0; i < 2; i++) {
    deconv(`main.${up + 3 * i}`, `up${i}/deconv`, c, c / 2);
    norm(`main.${up + 1 + 3 * i}`, `up${i}/norm`, c / 2);
    c /= 2;
  }
  conv(`main.${up + 6}`, 'out/conv', 3, c, 7);
  return { entries, norms };
}

/** Raised for a checkpoint that is not a StarGAN generator; the message names the first mismatch. */
export class StarGanCheckpointError extends Error {
  override readonly name = 'StarGanCheckpointError';
}

/** The generator's hyperparameters, from main.0.weight and the residual blocks present. */
export function inferStarGanShape(
  names: readonly string[],
  first: TorchTensor | undefined,
): StarGanTorchShape {
  if (!first) {
    if (names.includes('main.0.bias') || names.includes('conv1.weight')) {
      throw new StarGanCheckpointError(
        'This looks like a StarGAN discriminator (…-D.ckpt); load the generator (…-G.ckpt)',
      );
    }
    const sample = names.slice(0, 3).join(', ');
    throw new StarGanCheckpointError(
      `The checkpoint has no main.0.weight, so it is not yunjey/stargan's Generator (its first keys: ${sample || 'none'})`,
    );
  }
  const [convDim, inChannels, kh, kw] = first.shape;
  if (first.shape.length !== 4 || kh !== 7 || kw !== 7 || !(inChannels! > 3) || !(convDim! > 0)) {
    throw new StarGanCheckpointError(
      `main.0.weight is ${formatShape(first.shape)}; yunjey/stargan's Generator has [conv_dim, 3 + c_dim, 7, 7] there`,
    );
  }
  let repeatNum = 0;
  while (names.some((n) => n.startsWith(`main.${9 + repeatNum}.main.`))) repeatNum++;
  return { convDim: convDim!, cDim: inChannels! - 3, repeatNum };
}

const TO_OURS = [2, 3, 1, 0] as const;
const TO_TORCH = [3, 2, 0, 1] as const;

/** What a checked checkpoint becomes: its shape and, per our weight name, a lazy conversion. */
export interface StarGanFromTorch {
  readonly shape: StarGanTorchShape;
  /** Our weight names with their shapes, in the reference's order. */
  readonly specs: readonly { readonly name: string; readonly shape: number[] }[];
  /** The value of one of our weights, converted on demand (one tensor's copy at a time). */
  value(name: string): OurTensor;
  /** The norm buffers that were present and ignored, for the notice. */
  readonly ignored: number;
}

/**
 * Checks a flat state_dict against yunjey/stargan's Generator at the shape its own tensors
 * imply, and maps it to our names. Refuses, naming the first mismatch in file order (an
 * unknown key or a wrong shape), else the first missing key in the reference's order.
 * A leading `module.` (nn.DataParallel) is accepted.
 */
export function starganFromTorch(input: Readonly<Record<string, TorchTensor>>): StarGanFromTorch {
  const tensors = withoutDataParallel(input);
  const names = Object.keys(tensors);
  const shape = inferStarGanShape(names, tensors['main.0.weight']);
  const { entries, norms } = starganTorchNames(shape);
  const buffers = new Map<string, readonly number[]>();
  for (const n of norms) {
    buffers.set(`${n.torchPrefix}.running_mean`, [n.channels]);
    buffers.set(`${n.torchPrefix}.running_var`, [n.channels]);
    buffers.set(`${n.torchPrefix}.num_batches_tracked`, []);
  }
  const what = `yunjey/stargan's Generator with conv_dim ${shape.convDim}, c_dim ${shape.cDim}, repeat_num ${shape.repeatNum}`;
  const weights = new Map(entries.map((e) => [e.torch, e.torchShape]));
  const ignored = checkStateDict(
    tensors,
    weights,
    buffers,
    what,
    (m) => new StarGanCheckpointError(m),
  );
  const byOurs = new Map(entries.map((e) => [e.ours, e]));
  return {
    shape,
    ignored,
    specs: entries.map((e) => ({
      name: e.ours,
      shape: e.layout === 'vector' ? [...e.torchShape] : TO_OURS.map((p) => e.torchShape[p]!),
    })),
    value(name) {
      const e = byOurs.get(name);
      if (!e) throw new Error(`No StarGAN weight ${name}`);
      const data = tensors[e.torch]!.data as Float32Array;
      return e.layout === 'vector'
        ? { shape: [...e.torchShape], data }
        : permute4(data, e.torchShape, TO_OURS);
    },
  };
}

/** A PyTorch tensor to write: float32 weights, or the int64 num_batches_tracked counters. */
export interface TorchOut {
  readonly shape: readonly number[];
  readonly data: Float32Array | BigInt64Array;
}

/**
 * Our generator weights (by our names, in our layouts) as yunjey/stargan's Generator
 * state_dict, in its key order, with the norm buffers at their initial values.
 */
export function starganToTorch(
  shape: StarGanTorchShape,
  ours: ReadonlyMap<string, OurTensor>,
): Record<string, TorchOut> {
  const { entries, norms } = starganTorchNames(shape);
  const out: Record<string, TorchOut> = {};
  const normAfter = new Map(norms.map((n) => [`${n.torchPrefix}.bias`, n]));
  for (const e of entries) {
    const t = ours.get(e.ours);
    if (!t) throw new Error(`The model has no ${e.ours}`);
    out[e.torch] =
      e.layout === 'vector'
        ? { shape: [...t.shape], data: t.data }
        : permute4(t.data, t.shape, TO_TORCH);
    const norm = normAfter.get(e.torch);
    if (norm) {
      out[`${norm.torchPrefix}.running_mean`] = {
        shape: [norm.channels],
        data: new Float32Array(norm.channels),
      };
      out[`${norm.torchPrefix}.running_var`] = {
        shape: [norm.channels],
        data: new Float32Array(norm.channels).fill(1),
      };
      out[`${norm.torchPrefix}.num_batches_tracked`] = { shape: [], data: new BigInt64Array(1) };
    }
  }
  return out;
}

/** Our StarGAN's generator shape from its config and label count. */
export function starganTorchShape(
  config: { gConvDim: number; gRepeat: number },
  cDim: number,
): StarGanTorchShape {
  return { convDim: config.gConvDim, cDim, repeatNum: config.gRepeat };
}
