/**
 * junyanz/pytorch-CycleGAN-and-pix2pix's ResnetGenerator state_dict (networks.py;
 * `latest_net_G_A.pth`, saved by base_model.save_networks as torch.save(net.state_dict())) to
 * one of our CycleGAN generators (scope G/<dir>, dir AB or BA) and back. TF-free: plain typed
 * arrays in, plain typed arrays out. The generator is one nn.Sequential, `model`, in which
 * every layer takes an index, the weightless ReflectionPad2d, InstanceNorm2d, ReLU and Tanh too:
 *
 *   0 pad3, 1 conv k7 3 -> ngf, 2 IN, 3 ReLU        model.1        G/<dir>/in
 *   4 conv k3 s2, 5 IN, 6 ReLU                      model.4        G/<dir>/down0
 *   7 conv k3 s2, 8 IN, 9 ReLU                      model.7        G/<dir>/down1
 *   10 + i: ResnetBlock(4 ngf), its conv_block a Sequential of
 *     0 pad1, 1 conv k3, 2 IN, 3 ReLU, 4 pad1, 5 conv k3, 6 IN
 *                                                   model.<10+i>.conv_block.1 / .5
 *                                                                  G/<dir>/res<i>/conv0 / conv1
 *   10+n ConvT k3 s2 p1 op1, 11+n IN, 12+n ReLU     model.<10+n>   G/<dir>/up0
 *   13+n ConvT, 14+n IN, 15+n ReLU                  model.<13+n>   G/<dir>/up1
 *   16+n pad3, 17+n conv k7 ngf -> 3, 18+n Tanh     model.<17+n>   G/<dir>/out
 * (n = n_blocks: 9 makes the familiar model.26.weight.) Every conv has a bias (use_bias is True
 * with instance norm). Layouts: Conv2d [out, in, k, k] and ConvTranspose2d [in, out, k, k] both
 * go to ours ([k, k, in, out], transposed [k, k, out, in]) by the permutation (2, 3, 1, 0), and
 * back by (3, 2, 0, 1); biases are the same vectors.
 *
 * norm='instance' is InstanceNorm2d(affine=False, track_running_stats=False): no norm keys. For
 * a while networks.py had track_running_stats=True, so some published files hold running_mean,
 * running_var and num_batches_tracked at the norm indices; test.py does not call eval() unless
 * --eval, so they go unused, and base_model's __patch_instance_norm_state_dict deletes them on
 * load. Reading ignores them likewise; writing leaves them out (today's layout).
 * Refused, by name: use_dropout (a Dropout at conv_block.3 shifts the second conv to .6; our
 * block has none), the U-Net generator (pix2pix's model.model.*), the PatchGAN discriminator
 * (latest_net_D_A.pth), and anything but 3 channels in and out.
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

/** junyanz's ResnetGenerator hyperparameters, as read from the tensor shapes. */
export interface CycleGanTorchShape {
  /** ngf: channels of the first conv (64 in the reference). */
  readonly ngf: number;
  /** n_blocks: ResnetBlocks (9 for resnet_9blocks, CycleGAN's default; 6 for resnet_6blocks). */
  readonly nBlocks: number;
}

/** Which of our two generators a file fills or comes from: G_AB (A -> B) or G_BA. */
export type CycleGanDirection = 'AB' | 'BA';

interface NameEntry {
  readonly torch: string;
  readonly ours: string;
  readonly layout: 'conv' | 'vector';
  /** The shape in the PyTorch file. */
  readonly torchShape: readonly number[];
}

/**
 * Every weight of a ResnetGenerator with `shape`, in the reference's state_dict order, with our
 * name in generator `dir`; and the norm layers' prefixes (for their optional buffers).
 */
export function cycleganTorchNames(
  shape: CycleGanTorchShape,
  dir: CycleGanDirection = 'AB',
): { entries: NameEntry[]; norms: { prefix: string; channels: number }[] } {
  const { ngf, nBlocks } = shape;
  const entries: NameEntry[] = [];
  const norms: { prefix: string; channels: number }[] = [];
  // Conv2d [out, in, k, k] and ConvTranspose2d [in, out, k, k] alike: `a` and `b` as stored.
  const conv = (torch: string, ours: string, a: number, b: number, k: number) =>
    entries.push(
      {
        torch: `${torch}.weight`,
        ours: `G/${dir}/${ours}/W`,
        layout: 'conv',
        torchShape: [a, b, k, k],
      },
      { torch: `${torch}.bias`, ours: `G/${dir}/${ours}/b`, layout: 'vector', torchShape: [a] },
    );
  const convT = (torch: string, ours: string, inC: number, outC: number) =>
    entries.push(
      {
        torch: `${torch}.weight`,
        ours: `G/${dir}/${ours}/W`,
        layout: 'conv',
        torchShape: [inC, outC, 3, 3],
      },
      { torch: `${torch}.bias`, ours: `G/${dir}/${ours}/b`, layout: 'vector', torchShape: [outC] },
    );
  const norm = (prefix: string, channels: number) => norms.push({ prefix, channels });
  conv('model.1', 'in', ngf, 3, 7);
  norm('model.2', ngf);
  conv('model.4', 'down0', 2 * ngf, ngf, 3);
  norm('model.5', 2 * ngf);
  conv('model.7', 'down1', 4 * ngf, 2 * ngf, 3);
  norm('model.8', 4 * ngf);
  const c = 4 * ngf;
  for (let i = 0; i < nBlocks; i++) {
    const block = `model.${10 + i}.conv_block`;
    conv(`${block}.1`, `res${i}/conv0`, c, c, 3);
    norm(`${block}.2`, c);
    conv(`${block}.5`, `res${i}/conv1`, c, c, 3);
    norm(`${block}.6`, c);
  }
  const up = 10 + nBlocks;
  convT(`model.${up}`, 'up0', c, 2 * ngf);
  norm(`model.${up + 1}`, 2 * ngf);
  convT(`model.${up + 3}`, 'up1', 2 * ngf, ngf);
  norm(`model.${up + 4}`, ngf);
  conv(`model.${up + 7}`, 'out', 3, ngf, 7);
  return { entries, norms };
}

/** Raised for a checkpoint that is not a ResnetGenerator we run; names the first mismatch. */
export class CycleGanCheckpointError extends Error {
  override readonly name = 'CycleGanCheckpointError';
}

const REFERENCE = "junyanz's ResnetGenerator";

/** ngf from model.1.weight, n_blocks from the ResnetBlocks present; refuses other networks. */
export function inferCycleGanShape(
  tensors: Readonly<Record<string, TorchTensor>>,
): CycleGanTorchShape {
  const names = Object.keys(tensors);
  const first = tensors['model.1.weight'];
  if (!first) {
    if (names.some((n) => n.startsWith('model.model.'))) {
      throw new CycleGanCheckpointError(
        `This is junyanz's UnetGenerator (pix2pix's netG, keys model.model.*), not the ResnetGenerator CycleGAN uses`,
      );
    }
    if (names.includes('model.0.weight')) {
      throw new CycleGanCheckpointError(
        `This looks like junyanz's NLayerDiscriminator (latest_net_D_A.pth: model.0.weight comes first); load a generator, latest_net_G_A.pth or latest_net_G_B.pth`,
      );
    }
    if (names.some((n) => n.startsWith('main.'))) {
      throw new CycleGanCheckpointError(
        `The checkpoint has no model.1.weight: its keys main.* are yunjey/stargan's, not ${REFERENCE}'s`,
      );
    }
    const sample = names.slice(0, 3).join(', ');
    throw new CycleGanCheckpointError(
      `The checkpoint has no model.1.weight, so it is not ${REFERENCE} (its first keys: ${sample || 'none'})`,
    );
  }
  const [ngf, inChannels, kh, kw] = first.shape;
  if (first.shape.length !== 4 || kh !== 7 || kw !== 7 || inChannels !== 3 || !(ngf! > 0)) {
    throw new CycleGanCheckpointError(
      `model.1.weight is ${formatShape(first.shape)}; ${REFERENCE} for RGB images has [ngf, 3, 7, 7] there`,
    );
  }
  if (names.includes('model.10.conv_block.6.weight')) {
    throw new CycleGanCheckpointError(
      'model.10.conv_block.6.weight: this generator was trained with use_dropout (a Dropout in each ResnetBlock), which ours does not have; CycleGAN trains without (--no_dropout)',
    );
  }
  let nBlocks = 0;
  while (names.some((n) => n.startsWith(`model.${10 + nBlocks}.conv_block.`))) nBlocks++;
  return { ngf: ngf!, nBlocks };
}

/** Row-major [a, b, k, k] <-> our [k, k, b, a]: the same permutation for convs and ConvTs. */
const TO_OURS = [2, 3, 1, 0] as const;
const TO_TORCH = [3, 2, 0, 1] as const;

/** What a checked checkpoint becomes: its shape and, per our weight name, a lazy conversion. */
export interface CycleGanFromTorch {
  readonly shape: CycleGanTorchShape;
  /** Our weight names with their shapes, in the reference's order. */
  readonly specs: readonly { readonly name: string; readonly shape: number[] }[];
  /** The value of one of our weights, converted on demand (one tensor's copy at a time). */
  value(name: string): OurTensor;
  /** Instance-norm running-statistics buffers that were present and ignored. */
  readonly ignored: number;
}

/**
 * Checks a flat state_dict against junyanz's ResnetGenerator at the shape its own tensors
 * imply, and maps it to our generator `dir`. Refuses, naming the first mismatch in file order
 * (an unknown key, a wrong shape, a non-float weight), else the first missing key in the
 * reference's order. A leading `module.` (nn.DataParallel) is accepted.
 */
export function cycleganFromTorch(
  input: Readonly<Record<string, TorchTensor>>,
  dir: CycleGanDirection = 'AB',
): CycleGanFromTorch {
  const tensors = withoutDataParallel(input);
  const shape = inferCycleGanShape(tensors);
  const { entries, norms } = cycleganTorchNames(shape, dir);
  const buffers = new Map<string, readonly number[]>();
  for (const n of norms) {
    buffers.set(`${n.prefix}.running_mean`, [n.channels]);
    buffers.set(`${n.prefix}.running_var`, [n.channels]);
    buffers.set(`${n.prefix}.num_batches_tracked`, []);
  }
  const what = `${REFERENCE} with ngf ${shape.ngf}, n_blocks ${shape.nBlocks}`;
  const weights = new Map(entries.map((e) => [e.torch, e.torchShape]));
  const ignored = checkStateDict(
    tensors,
    weights,
    buffers,
    what,
    (m) => new CycleGanCheckpointError(m),
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
      if (!e) throw new Error(`No CycleGAN weight ${name}`);
      const data = tensors[e.torch]!.data as Float32Array;
      return e.layout === 'vector'
        ? { shape: [...e.torchShape], data }
        : permute4(data, e.torchShape, TO_OURS);
    },
  };
}

/**
 * Our generator `dir` (weights by our names, in our layouts) as junyanz's ResnetGenerator
 * state_dict, in its key order: load_state_dict(strict=True) into
 * ResnetGenerator(3, 3, ngf, norm_layer=instance, n_blocks=n) takes it as it is.
 */
export function cycleganToTorch(
  shape: CycleGanTorchShape,
  ours: ReadonlyMap<string, OurTensor>,
  dir: CycleGanDirection = 'AB',
): Record<string, OurTensor> {
  const out: Record<string, OurTensor> = {};
  for (const e of cycleganTorchNames(shape, dir).entries) {
    const t = ours.get(e.ours);
    if (!t) throw new Error(`The model has no ${e.ours}`);
    out[e.torch] =
      e.layout === 'vector'
        ? { shape: [...t.shape], data: t.data }
        : permute4(t.data, t.shape, TO_TORCH);
  }
  return out;
}
