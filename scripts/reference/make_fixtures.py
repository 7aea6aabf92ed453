#!/usr/bin/python3
"""Parity fixtures for src/models/parity/*.test.ts (issue 13, part 1).

    /usr/bin/python3 scripts/reference/make_fixtures.py

For each family, at the tiny config the TypeScript test builds, this writes
src/models/parity/fixtures/<family>.json with:

  config    the TypeScript config fields that differ from the family's defaults
  weights   every variable of G and D before training, under our names and in TF.js layouts
            (conv OIHW -> HWIO, transposed conv IOHW -> HW(out)(in), dense [out, in] -> [in, out],
            flattened pixels C,H,W -> H,W,C)
  inputs    fixed images, latents, interpolation weights, labels (NHWC)
  forward   G's output and D's output(s) from those weights (training mode)
  steps     one D step and one G step as the reference iteration runs them: the variables they
            start from (changes relative to `weights`), every loss term in our chart order, and
            every variable that the step changes, with its value afterwards

The twins compute in float64 so the expected values carry no float32 rounding of their own;
tensors are stored as little-endian float32 in base64 to keep each file small. Seeded: a rerun
writes the same files.
"""

import base64
import json
import os
import subprocess
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import twins

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT_DIR = os.path.join(ROOT, 'src', 'models', 'parity', 'fixtures')
torch.set_default_dtype(torch.float64)


# ------------------------------------------------------------------------------------------
# Layouts and naming
# ------------------------------------------------------------------------------------------
def nchw_to_nhwc(t):
    return t.permute(0, 2, 3, 1) if t.dim() == 4 else t


def nhwc_to_nchw(t):
    return t.permute(0, 3, 1, 2)


def tf_layout(module, kind, t):
    """A PyTorch parameter in the layout our TF.js code stores it in."""
    if kind == 'weight':
        if isinstance(module, nn.Conv2d):
            return t.permute(2, 3, 1, 0)  # [O, I, kh, kw] -> [kh, kw, I, O]
        if isinstance(module, nn.ConvTranspose2d):
            return t.permute(2, 3, 1, 0)  # [I, O, kh, kw] -> [kh, kw, O, I]
        if isinstance(module, nn.Linear):
            return t.t()  # [out, in] -> [in, out]
    return t


SUFFIXES = {
    'conv': [('weight', 'W'), ('bias', 'b')],
    'bn': [('weight', 'gamma'), ('bias', 'beta'), ('running_mean', 'runningMean'), ('running_var', 'runningVar')],
    'in': [('weight', 'gamma'), ('bias', 'beta')],  # our instance norm keeps no running stats
}


def layer_modules(net):
    """Modules holding weights, in registration order (the order of the reference's layers)."""
    kinds = []
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            kinds.append((m, 'conv'))
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            kinds.append((m, 'bn'))
        elif isinstance(m, nn.InstanceNorm2d):
            kinds.append((m, 'in'))
    return kinds


class Network:
    """A twin and our names for its layers: scope ('G' or 'D') and one prefix per layer."""

    def __init__(self, scope, net, prefixes, special=None):
        self.scope = scope
        self.net = net
        self.layers = layer_modules(net)
        assert len(self.layers) == len(prefixes), (scope, len(self.layers), len(prefixes))
        self.prefixes = prefixes
        # name -> function from the PyTorch tensor to ours, for layouts the generic rule misses
        self.special = special or {}

    def state(self):
        out = OrderedDict()
        for (module, kind), prefix in zip(self.layers, self.prefixes):
            for attr, suffix in SUFFIXES[kind]:
                t = getattr(module, attr, None)
                if t is None:
                    continue
                name = f'{self.scope}/{prefix}/{suffix}'
                t = t.detach()
                value = self.special[name](t) if name in self.special else tf_layout(module, attr, t)
                out[name] = value.contiguous().numpy().astype(np.float64)
        return out


def full_state(*networks):
    out = OrderedDict()
    for n in networks:
        out.update(n.state())
    return out


def changed(before, after):
    return OrderedDict((k, v) for k, v in after.items() if not np.array_equal(before[k], v))


def enc(x):
    a = np.asarray(x.detach().numpy() if torch.is_tensor(x) else x, dtype='<f4')
    return {'shape': list(a.shape), 'b64': base64.b64encode(a.tobytes()).decode('ascii')}


def enc_map(m):
    return OrderedDict((k, enc(v)) for k, v in m.items())


def step_record(start_from, before, losses, after):
    """A step as the test replays it: start state (changes from the initial weights), losses,
    and the variables the step changes."""
    return {
        'start': enc_map(changed(start_from, before)),
        'losses': [float(l) for l in losses],
        'after': enc_map(changed(before, after)),
    }


def write(family, fixture):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, f'{family}.json')
    with open(path, 'w') as f:
        json.dump(fixture, f, separators=(',', ':'))
        f.write('\n')
    written.append(path)


written = []


def format_with_biome():
    """Lays the JSON out as `npx biome check` expects it (the repo lints JSON too)."""
    try:
        subprocess.run(['npx', 'biome', 'format', '--write', *written], cwd=ROOT, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f'biome format failed ({error}); run `npx biome format --write {OUT_DIR}`')
    for path in written:
        print(f'{os.path.relpath(path, ROOT)}: {os.path.getsize(path) / 1024:.1f} KB')


def dcgan_init(m):
    """pytorch/examples' and WassersteinGAN's weights_init: conv N(0, 0.02), BN N(1, 0.02), 0."""
    name = m.__class__.__name__
    if 'Conv' in name:
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif 'BatchNorm' in name:
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def dcgan_prefixes(image_size, scope, batch_norm=True):
    _, blocks = twins.dcgan_channels(image_size, 1)
    if scope == 'G':
        names = ['in', 'in/bn']
        for i in range(blocks):
            names += [f'up{i}', f'up{i}/bn']
        return names + ['out']
    names = ['in']
    for i in range(blocks):
        names += [f'down{i}'] + ([f'down{i}/bn'] if batch_norm else [])
    return names + ['out']


# ------------------------------------------------------------------------------------------
# GAN (PyTorch-GAN gan.py): G step first, then D on the same (detached) images, D loss halved.
# ------------------------------------------------------------------------------------------
def gan_generator_network(G, size):
    """The MLP generator under our names: its output layer's pixels reordered C,H,W -> H,W,C."""
    pixels = 3 * size * size

    def chw_cols_to_hwc(t):  # G out weight [C*H*W, in] -> ours [in, H*W*C]
        return t.view(3, size, size, -1).permute(1, 2, 0, 3).reshape(pixels, -1).t()

    def chw_vec_to_hwc(t):
        return t.view(3, size, size).permute(1, 2, 0).reshape(-1)

    g_prefixes = ['fc0', 'fc1', 'bn1', 'fc2', 'bn2', 'fc3', 'bn3', 'out']
    return Network('G', G, g_prefixes, {'G/out/W': chw_cols_to_hwc, 'G/out/b': chw_vec_to_hwc})


def make_gan():
    torch.manual_seed(1)
    size, z_dim, g, d, n = 8, 8, 2, 2, 4
    shape = (3, size, size)
    G = twins.MlpGenerator(z_dim, [2 * g, 4 * g, 8 * g, 16 * g], shape)
    D = twins.MlpDiscriminator([8 * d, 4 * d], shape)
    pixels = 3 * size * size

    def chw_rows_to_hwc(t):  # D fc0 weight [out, C*H*W] -> ours [H*W*C, out]
        return t.view(-1, 3, size, size).permute(2, 3, 1, 0).reshape(pixels, -1)

    nG = gan_generator_network(G, size)
    nD = Network('D', D, ['fc0', 'fc1', 'out'], {'D/fc0/W': chw_rows_to_hwc})

    real = torch.rand(n, 3, size, size) * 2 - 1
    z = torch.randn(n, z_dim)
    s0 = full_state(nG, nD)
    with torch.no_grad():
        G_fwd, D_fwd = G(z), D.logits(real)
    for net in (nG, nD):  # the forward pass moved G's running averages: put them back
        load(net, s0)

    opt_G = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
    opt_D = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
    bce = nn.BCELoss()
    valid, fake = torch.ones(n, 1), torch.zeros(n, 1)

    # Train G.
    opt_G.zero_grad()
    gen_imgs = G(z)
    g_loss = bce(D(gen_imgs), valid)
    g_loss.backward()
    opt_G.step()
    s1 = full_state(nG, nD)
    # Train D, on the images made before G's step.
    opt_D.zero_grad()
    real_loss = bce(D(real), valid)
    fake_loss = bce(D(gen_imgs.detach()), fake)
    d_loss = (real_loss + fake_loss) / 2
    d_loss.backward()
    opt_D.step()
    s2 = full_state(nG, nD)

    # Our D step starts from the initial weights (the reference's D never sees G's update); its
    # G forward moves G's running averages as the reference's single forward did.
    d_after = OrderedDict(s0)
    d_after.update({k: v for k, v in s2.items() if k.startswith('D/')})
    d_after.update({k: v for k, v in s1.items() if 'running' in k})
    write('gan', {
        'family': 'gan',
        'config': {'imageSize': size, 'zDim': z_dim, 'gBase': g, 'dBase': d, 'batchSize': n},
        'weights': enc_map(s0),
        'inputs': {'real': enc(nchw_to_nhwc(real)), 'z': enc(z), 'zG': enc(z)},
        'forward': {'G': enc(nchw_to_nhwc(G_fwd)), 'D': enc(D_fwd.view(-1))},
        'steps': {
            'D': step_record(s0, s0, [real_loss.item(), fake_loss.item()], d_after),
            'G': step_record(s0, s0, [g_loss.item()], s1),
        },
        'notes': 'Reference order: G step, then D step on the same images with (real + fake) / 2.',
    })


def load(network, state):
    """Puts our-named values back into a twin (inverse of Network.state, for the cases used)."""
    with torch.no_grad():
        for (module, kind), prefix in zip(network.layers, network.prefixes):
            for attr, suffix in SUFFIXES[kind]:
                name = f'{network.scope}/{prefix}/{suffix}'
                if name in state and 'running' in attr:
                    getattr(module, attr).copy_(torch.from_numpy(state[name]))


# ------------------------------------------------------------------------------------------
# DCGAN (pytorch/examples dcgan/main.py): D on real and on G(z) detached, then G on the same
# fake images against the updated D.
# ------------------------------------------------------------------------------------------
def make_dcgan():
    torch.manual_seed(2)
    size, z_dim, g, d, n = 16, 8, 4, 4, 4
    G = twins.DcganGenerator(z_dim, g, size)
    D = twins.DcganDiscriminator(d, size)
    G.apply(dcgan_init)
    D.apply(dcgan_init)
    nG = Network('G', G, dcgan_prefixes(size, 'G'))
    nD = Network('D', D, dcgan_prefixes(size, 'D'))

    real = torch.rand(n, 3, size, size) * 2 - 1
    z = torch.randn(n, z_dim)
    s0 = full_state(nG, nD)
    with torch.no_grad():
        G_fwd, D_fwd = G(z), D.logits(real)
    load(nG, s0)
    load(nD, s0)

    opt_D = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
    opt_G = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
    criterion = nn.BCELoss()
    ones, zeros = torch.ones(n), torch.zeros(n)

    D.zero_grad()
    errD_real = criterion(D(real), ones)
    errD_real.backward()
    fake = G(z)
    errD_fake = criterion(D(fake.detach()), zeros)
    errD_fake.backward()
    opt_D.step()
    s1 = full_state(nG, nD)

    G.zero_grad()
    errG = criterion(D(fake), ones)
    errG.backward()
    opt_G.step()
    s2 = full_state(nG, nD)

    write('dcgan', {
        'family': 'dcgan',
        'config': {'imageSize': size, 'zDim': z_dim, 'gBase': g, 'dBase': d, 'batchSize': n},
        'weights': enc_map(s0),
        'inputs': {'real': enc(nchw_to_nhwc(real)), 'z': enc(z), 'zG': enc(z)},
        'forward': {'G': enc(nchw_to_nhwc(G_fwd)), 'D': enc(D_fwd)},
        'steps': {
            'D': step_record(s0, s0, [errD_real.item(), errD_fake.item()], s1),
            'G': step_record(s0, s1, [errG.item()], s2),
        },
        'notes': "Reference: G's step reuses the D step's fake images (one G forward).",
    })


# ------------------------------------------------------------------------------------------
# WGAN (WassersteinGAN main.py): clamp D, D step minimising f(real) - f(fake) (backward(one),
# backward(mone)) with RMSprop, then G minimising f(G(z')) on fresh noise. Our critic is the
# reference's with the sign of its last (linear, bias-free) layer flipped, f_ours = -f_ref, so
# our L_D = -E f_ours(x) + E f_ours(G(z)) is the reference's loss exactly.
# ------------------------------------------------------------------------------------------
def make_wgan():
    torch.manual_seed(3)
    size, z_dim, g, d, n, clip = 16, 8, 4, 4, 4, 0.01
    lr = 5e-5
    G = twins.WganGenerator(z_dim, g, size)
    D = twins.WganCritic(d, size, batch_norm=True)
    G.apply(dcgan_init)
    D.apply(dcgan_init)
    negate = {'D/out/W': lambda t: -t.permute(2, 3, 1, 0)}
    nG = Network('G', G, dcgan_prefixes(size, 'G'))
    nD = Network('D', D, dcgan_prefixes(size, 'D'), negate)
    with torch.no_grad():  # our model clips at construction; the reference before each D step
        for p in D.parameters():
            p.clamp_(-clip, clip)

    real = torch.rand(n, 3, size, size) * 2 - 1
    z = torch.randn(n, z_dim)
    zG = torch.randn(n, z_dim)
    s0 = full_state(nG, nD)
    with torch.no_grad():
        G_fwd, D_fwd = G(z), -D.scores(real)
    load(nG, s0)
    load(nD, s0)

    opt_D = torch.optim.RMSprop(D.parameters(), lr=lr)
    opt_G = torch.optim.RMSprop(G.parameters(), lr=lr)
    one = torch.ones(1)
    mone = -one

    with torch.no_grad():
        for p in D.parameters():
            p.clamp_(-clip, clip)
    D.zero_grad()
    errD_real = D(real)
    errD_real.backward(one)
    fake = G(z)
    errD_fake = D(fake.detach())
    errD_fake.backward(mone)
    opt_D.step()
    s1 = full_state(nG, nD)

    for p in D.parameters():
        p.requires_grad = False
    G.zero_grad()
    errG = D(G(zG))
    errG.backward(one)
    opt_G.step()
    s2 = full_state(nG, nD)

    write('wgan', {
        'family': 'wgan',
        'config': {'imageSize': size, 'zDim': z_dim, 'gBase': g, 'dBase': d, 'batchSize': n},
        'weights': enc_map(s0),
        'inputs': {'real': enc(nchw_to_nhwc(real)), 'z': enc(z), 'zG': enc(zG)},
        'forward': {'G': enc(nchw_to_nhwc(G_fwd)), 'D': enc(D_fwd)},
        'steps': {
            # ours: ['D real' = -E f_ours(x) = E f_ref(x), 'D fake' = E f_ours(G(z)) = -E f_ref(G(z))]
            'D': step_record(s0, s0, [errD_real.item(), -errD_fake.item()], s1),
            # ours: 'G' = -E f_ours(G(z)) = E f_ref(G(z))
            'G': step_record(s0, s1, [errG.item()], s2),
        },
        'notes': 'D "after" is before clipping (the reference clamps at the next D step); the G '
        'step starts from the unclipped D, as in the reference.',
        'clip': clip,
    })


# ------------------------------------------------------------------------------------------
# WGAN-GP (igul222/improved_wgan_training, CIFAR script's costs; critic = DCGAN_D_nobn):
# L_D = E D(G(z)) - E D(x) + lambda E (||grad D(xhat)|| - 1)^2, L_G = -E D(G(z')), Adam
# (0.5, 0.9), eps 1e-8 (TF1's default, as PyTorch's).
# ------------------------------------------------------------------------------------------
def make_wgangp():
    torch.manual_seed(4)
    size, z_dim, g, d, n, lam = 16, 8, 4, 4, 4, 10.0
    G = twins.WganGenerator(z_dim, g, size)
    D = twins.WganCritic(d, size, batch_norm=False)
    G.apply(dcgan_init)
    D.apply(dcgan_init)
    nG = Network('G', G, dcgan_prefixes(size, 'G'))
    nD = Network('D', D, dcgan_prefixes(size, 'D', batch_norm=False))

    real = torch.rand(n, 3, size, size) * 2 - 1
    z = torch.randn(n, z_dim)
    zG = torch.randn(n, z_dim)
    alpha = torch.rand(n, 1, 1, 1)
    s0 = full_state(nG, nD)
    with torch.no_grad():
        G_fwd, D_fwd = G(z), D.scores(real)
    load(nG, s0)

    opt_D = torch.optim.Adam(D.parameters(), lr=1e-4, betas=(0.5, 0.9), eps=1e-8)
    opt_G = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.5, 0.9), eps=1e-8)

    fake = G(z).detach()
    d_real = -D.scores(real).mean()
    d_fake = D.scores(fake).mean()
    x_hat = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    gp = twins.gradient_penalty(D.scores(x_hat), x_hat)
    opt_D.zero_grad()
    (d_real + d_fake + lam * gp).backward()
    opt_D.step()
    s1 = full_state(nG, nD)

    opt_G.zero_grad()
    g_loss = -D.scores(G(zG)).mean()
    g_loss.backward()
    opt_G.step()
    s2 = full_state(nG, nD)

    write('wgangp', {
        'family': 'wgangp',
        'config': {'imageSize': size, 'zDim': z_dim, 'gBase': g, 'dBase': d, 'batchSize': n},
        'weights': enc_map(s0),
        'inputs': {
            'real': enc(nchw_to_nhwc(real)),
            'z': enc(z),
            'zG': enc(zG),
            'alpha': enc(alpha.view(n, 1, 1, 1)),
        },
        'forward': {'G': enc(nchw_to_nhwc(G_fwd)), 'D': enc(D_fwd)},
        'steps': {
            'D': step_record(s0, s0, [d_real.item(), d_fake.item(), gp.item()], s1),
            'G': step_record(s0, s1, [g_loss.item()], s2),
        },
    })


def stargan_prefixes(scope, repeat):
    """Our layer names for StarGenerator (repeat = residual blocks) or StarDiscriminator
    (repeat = down-samplings), in the twin's registration order."""
    if scope == 'D':
        return [f'down{i}/conv' for i in range(repeat)] + ['src', 'cls']
    names = ['in/conv', 'in/norm']
    for i in range(2):
        names += [f'down{i}/conv', f'down{i}/norm']
    for i in range(repeat):
        names += [f'res{i}/conv0', f'res{i}/norm0', f'res{i}/conv1', f'res{i}/norm1']
    for i in range(2):
        names += [f'up{i}/deconv', f'up{i}/norm']
    return names + ['out/conv']


# ------------------------------------------------------------------------------------------
# StarGAN (yunjey/stargan solver.py train(), CelebA attributes): one D step with the gradient
# penalty, then (on iterations where (i+1) % n_critic == 0) one G step against the updated D.
# ------------------------------------------------------------------------------------------
def make_stargan():
    torch.manual_seed(5)
    size, c_dim, g_dim, g_rep, d_dim, d_rep, n = 16, 5, 3, 1, 4, 3, 2
    lam_cls, lam_rec, lam_gp = 1.0, 10.0, 10.0
    G = twins.StarGenerator(g_dim, c_dim, g_rep)
    D = twins.StarDiscriminator(size, d_dim, c_dim, d_rep)
    with torch.no_grad():  # IN's affine weights start at 1 and 0; move them so they are tested
        for m in G.modules():
            if isinstance(m, nn.InstanceNorm2d):
                m.weight.normal_(1.0, 0.1)
                m.bias.normal_(0.0, 0.1)
    nG = Network('G', G, stargan_prefixes('G', g_rep))
    nD = Network('D', D, stargan_prefixes('D', d_rep))

    x_real = torch.rand(n, 3, size, size) * 2 - 1
    label_org = torch.zeros(n, c_dim)
    label_org[0, [0, 3]] = 1  # black hair, male
    label_org[1, [1, 4]] = 1  # blond hair, young
    label_trg = label_org[torch.tensor([1, 0])]  # the batch's labels permuted (randperm)
    c_org, c_trg = label_org.clone(), label_trg.clone()
    alpha = torch.rand(n, 1, 1, 1)
    rafd_idx = torch.tensor([2, 0])  # a one-of-N check of the loss on D's first 3 logits

    s0 = full_state(nG, nD)
    with torch.no_grad():
        G_fwd = G(x_real, c_trg)
        src_fwd, cls_fwd = D(x_real)
        rafd_cls = twins.stargan_classification_loss(cls_fwd[:, :3], rafd_idx, 'RaFD')

    opt_G = torch.optim.Adam(G.parameters(), 1e-4, [0.5, 0.999])
    opt_D = torch.optim.Adam(D.parameters(), 1e-4, [0.5, 0.999])

    out_src, out_cls = D(x_real)
    d_loss_real = -torch.mean(out_src)
    d_loss_cls = twins.stargan_classification_loss(out_cls, label_org, 'CelebA')
    x_fake = G(x_real, c_trg)
    out_src, _ = D(x_fake.detach())
    d_loss_fake = torch.mean(out_src)
    x_hat = (alpha * x_real.data + (1 - alpha) * x_fake.data).requires_grad_(True)
    out_src, _ = D(x_hat)
    d_loss_gp = twins.gradient_penalty(out_src, x_hat)
    d_loss = d_loss_real + d_loss_fake + lam_cls * d_loss_cls + lam_gp * d_loss_gp
    opt_G.zero_grad()
    opt_D.zero_grad()
    d_loss.backward()
    opt_D.step()
    s1 = full_state(nG, nD)

    x_fake = G(x_real, c_trg)
    out_src, out_cls = D(x_fake)
    g_loss_fake = -torch.mean(out_src)
    g_loss_cls = twins.stargan_classification_loss(out_cls, label_trg, 'CelebA')
    x_reconst = G(x_fake, c_org)
    g_loss_rec = torch.mean(torch.abs(x_real - x_reconst))
    g_loss = g_loss_fake + lam_rec * g_loss_rec + lam_cls * g_loss_cls
    opt_G.zero_grad()
    opt_D.zero_grad()
    g_loss.backward()
    opt_G.step()
    s2 = full_state(nG, nD)

    write('stargan', {
        'family': 'stargan',
        'config': {
            'imageSize': size,
            'gConvDim': g_dim,
            'gRepeat': g_rep,
            'dConvDim': d_dim,
            'dRepeat': d_rep,
            'batchSize': n,
        },
        'cDim': c_dim,
        'weights': enc_map(s0),
        'inputs': {
            'xReal': enc(nchw_to_nhwc(x_real)),
            'labelOrg': enc(label_org),
            'labelTrg': enc(label_trg),
            'alpha': enc(alpha),
            'rafdOneHot': enc(F.one_hot(rafd_idx, 3)),
        },
        'forward': {
            'G': enc(nchw_to_nhwc(G_fwd)),
            'src': enc(nchw_to_nhwc(src_fwd)),
            'cls': enc(cls_fwd),
            'rafdCls': rafd_cls.item(),
        },
        'steps': {
            'D': step_record(
                s0, s0, [(d_loss_real + d_loss_fake).item(), d_loss_cls.item(), d_loss_gp.item()], s1
            ),
            'G': step_record(s0, s1, [g_loss_fake.item(), g_loss_cls.item(), g_loss_rec.item()], s2),
        },
    })


# ------------------------------------------------------------------------------------------
# The 2D GAN: MLPs with each of its losses and its preset optimiser, one D step then one G step.
# ------------------------------------------------------------------------------------------
def make_gan2d():
    out = {'family': 'gan2d', 'cases': OrderedDict()}
    for seed, (loss, optimizer) in enumerate(
        [('nonSaturating', 'adam'), ('leastSquares', 'adam'), ('wasserstein', 'rmsprop'), ('wassersteinGp', 'adam')]
    ):
        torch.manual_seed(10 + seed)
        noise, layers, width, n, lr = 2, 2, 8, 16, 1e-3
        G = twins.Mlp2d(noise, layers, width, 2, 0)
        D = twins.Mlp2d(2, layers, width, 1, 0.2)
        prefixes = [f'fc{i}' for i in range(layers)] + ['out']
        nG, nD = Network('G', G, prefixes), Network('D', D, prefixes)
        if loss == 'wasserstein':
            with torch.no_grad():
                for p in D.parameters():
                    p.clamp_(-0.01, 0.01)
        real = torch.randn(n, 2) * 0.5 + 1
        z = torch.randn(n, noise)
        zG = torch.randn(n, noise)
        alpha = torch.rand(n, 1)
        s0 = full_state(nG, nD)

        def make_opt(params):
            if optimizer == 'rmsprop':
                return torch.optim.RMSprop(params, lr=lr)
            return torch.optim.Adam(params, lr=lr, betas=(0.5, 0.9 if loss == 'wassersteinGp' else 0.999))

        opt_D, opt_G = make_opt(D.parameters()), make_opt(G.parameters())
        fake = G(z).detach()
        out_real, out_fake = D(real), D(fake)
        if loss == 'nonSaturating':
            terms = [F.softplus(-out_real).mean(), F.softplus(out_fake).mean()]
            total = terms[0] + terms[1]
        elif loss == 'leastSquares':
            terms = [0.5 * ((out_real - 1) ** 2).mean(), 0.5 * (out_fake**2).mean()]
            total = terms[0] + terms[1]
        else:
            terms = [-out_real.mean(), out_fake.mean()]
            total = terms[0] + terms[1]
            if loss == 'wassersteinGp':
                x_hat = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
                terms.append(twins.gradient_penalty(D(x_hat), x_hat))
                total = total + 10 * terms[2]
        opt_D.zero_grad()
        total.backward()
        opt_D.step()
        s1 = full_state(nG, nD)

        out_g = D(G(zG))
        if loss == 'nonSaturating':
            g_loss = F.softplus(-out_g).mean()
        elif loss == 'leastSquares':
            g_loss = 0.5 * ((out_g - 1) ** 2).mean()
        else:
            g_loss = -out_g.mean()
        opt_G.zero_grad()
        g_loss.backward()
        opt_G.step()
        s2 = full_state(nG, nD)
        out['cases'][loss] = {
            'config': {
                'loss': loss,
                'optimizer': optimizer,
                'noiseDim': noise,
                'gLayers': layers,
                'gWidth': width,
                'dLayers': layers,
                'dWidth': width,
                'lrG': lr,
                'lrD': lr,
                'batchSize': n,
            },
            'weights': enc_map(s0),
            'inputs': {'real': enc(real), 'z': enc(z), 'zG': enc(zG), 'alpha': enc(alpha)},
            'steps': {
                'D': step_record(s0, s0, [t.item() for t in terms], s1),
                'G': step_record(s0, s1, [g_loss.item()], s2),
            },
        }
    write('gan2d', out)


if __name__ == '__main__':
    make_gan()
    make_dcgan()
    make_wgan()
    make_wgangp()
    make_stargan()
    make_gan2d()
    format_with_biome()
