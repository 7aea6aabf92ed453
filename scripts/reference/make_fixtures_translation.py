#!/usr/bin/python3
"""Parity fixtures for CycleGAN, Pix2Pix and UNIT (issue 15):

    /usr/bin/python3 scripts/reference/make_fixtures_translation.py

writes src/models/parity/fixtures/{cyclegan,pix2pix,unit}.json in make_fixtures.py's layout (weights
under our names in TF.js layouts, inputs NHWC, forward outputs, and one step of each optimiser
as the reference's optimize_parameters runs them), from the twins in twin_translation.py.
Float64; seeded.
"""

import torch
import torch.nn as nn

import twin_translation as T
from make_fixtures import Network, enc, enc_map, format_with_biome, full_state, nchw_to_nhwc, step_record, write

torch.set_default_dtype(torch.float64)


def perturb_biases(*nets):
    """init_weights zeroes every bias; give them values so their layout is tested too. Then
    rounds every parameter to float32, the values the TypeScript side loads: a bias followed by
    instance norm has a zero gradient, and its float64 step of ~1e-9 lr must not round to a
    different float32 than its start (the test would take float32 noise there for a step)."""
    with torch.no_grad():
        for net in nets:
            for m in net.modules():
                if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)) and m.bias is not None:
                    m.bias.normal_(0.0, 0.05)
            for p in net.parameters():
                p.copy_(p.float().double())


def image_batch(n, size):
    """Uniform images in [-1, 1], float32-representable as the TypeScript inputs are."""
    return (torch.rand(n, 3, size, size) * 2 - 1).float().double()


def resnet_prefixes(n_blocks):
    names = ['in', 'in/norm']
    for i in range(2):
        names += [f'down{i}', f'down{i}/norm']
    for i in range(n_blocks):
        names += [f'res{i}/conv0', f'res{i}/norm0', f'res{i}/conv1', f'res{i}/norm1']
    for i in range(2):
        names += [f'up{i}', f'up{i}/norm']
    return names + ['out']


def patch_prefixes(n_layers):
    names = ['conv0']
    for n in range(1, n_layers + 1):
        names += [f'conv{n}', f'norm{n}']
    return names + ['out']


def unet_prefixes(levels):
    downs = ['level0/down']
    for level in range(1, levels - 1):
        downs += [f'level{level}/down', f'level{level}/downNorm']
    inner = levels - 1
    middle = [f'level{inner}/down', f'level{inner}/up', f'level{inner}/upNorm']
    ups = []
    for level in range(levels - 2, 0, -1):
        ups += [f'level{level}/up', f'level{level}/upNorm']
    return downs + middle + ups + ['level0/up']


# ------------------------------------------------------------------------------------------
# CycleGAN (cycle_gan_model.py optimize_parameters): forward; G_A and G_B with D fixed (one Adam
# over both); D_A and D_B on pooled fakes of that forward (one Adam over both). Our G_AB, G_BA,
# D_A, D_B are the reference's netG_A, netG_B, netD_B, netD_A.
# ------------------------------------------------------------------------------------------
def make_cyclegan():
    torch.manual_seed(15)
    size, ngf, blocks, ndf, layers, n = 32, 4, 2, 4, 3, 2
    lam_cyc, lam_idt = 10.0, 0.5
    cg = T.CycleGan(ngf, blocks, ndf, layers)
    netG_A, netG_B, netD_A, netD_B = cg.G_A, cg.G_B, cg.D_A, cg.D_B
    perturb_biases(netG_A, netG_B, netD_A, netD_B)
    nets = [
        Network('G/AB', netG_A, resnet_prefixes(blocks)),
        Network('G/BA', netG_B, resnet_prefixes(blocks)),
        Network('D/A', netD_B, patch_prefixes(layers)),
        Network('D/B', netD_A, patch_prefixes(layers)),
    ]
    real_A = image_batch(n, size)
    real_B = image_batch(n, size)
    s0 = full_state(*nets)
    with torch.no_grad():
        fwd_G = netG_A(real_A)
        fwd_D = netD_A(real_B)

    import random
    opt_G = torch.optim.Adam(cg.g_parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_D = torch.optim.Adam(cg.d_parameters(), lr=2e-4, betas=(0.5, 0.999))
    pool_A, pool_B = T.ImagePool(2, random.Random(0)), T.ImagePool(2, random.Random(1))

    # forward() and backward_G with D frozen (its gradients are zeroed before D's step below)
    loss_G, terms, fake_A, fake_B = cg.loss_g(real_A, real_B, lam_cyc, lam_idt)
    loss_G_A, loss_G_B, loss_cycle_A, loss_cycle_B, loss_idt_A, loss_idt_B = terms
    opt_G.zero_grad()
    loss_G.backward()
    opt_G.step()
    s1 = full_state(*nets)

    # backward_D_A / backward_D_B on the pools (empty: the fakes themselves come back)
    opt_D.zero_grad()
    loss_D_A = cg.loss_d(netD_A, real_B, pool_B.query(fake_B))
    loss_D_B = cg.loss_d(netD_B, real_A, pool_A.query(fake_A))
    (loss_D_A + loss_D_B).backward()
    opt_D.step()
    s2 = full_state(*nets)

    write('cyclegan', {
        'family': 'cyclegan',
        'config': {'imageSize': size, 'ngf': ngf, 'nBlocks': blocks, 'ndf': ndf, 'dLayers': layers,
                   'batchSize': n, 'poolSize': 2},
        'weights': enc_map(s0),
        'inputs': {'realA': enc(nchw_to_nhwc(real_A)), 'realB': enc(nchw_to_nhwc(real_B))},
        'forward': {'G_AB': enc(nchw_to_nhwc(fwd_G)), 'D_B': enc(nchw_to_nhwc(fwd_D))},
        'steps': {
            'G': step_record(s0, s0, [loss_G_A.item(), loss_G_B.item(), loss_cycle_A.item(),
                                      loss_cycle_B.item(), loss_idt_B.item(), loss_idt_A.item()], s1),
            # Replayed from the initial weights: D's change is all of this step's.
            'D': {**step_record(s0, s0, [loss_D_B.item(), loss_D_A.item()], s0),
                  'after': enc_map({k: v for k, v in s2.items() if k.startswith('D/')})},
        },
    })


# ------------------------------------------------------------------------------------------
# Pix2Pix (pix2pix_model.py optimize_parameters): fake_B = G(A); D on (A, B) and (A, fake_B)
# detached, loss halved; then G (GAN + 100 L1) against the updated D. Vanilla GAN: BCE with logits.
# ------------------------------------------------------------------------------------------
def make_pix2pix():
    torch.manual_seed(16)
    size, ngf, ndf, layers, n, lam = 32, 4, 4, 3, 2, 100.0
    levels = 5
    p2p = T.Pix2Pix(levels, ngf, ndf, layers)
    G, D = p2p.G, p2p.D
    perturb_biases(G, D)
    nG = Network('G', G, unet_prefixes(levels))
    nD = Network('D', D, ['patch/' + p for p in patch_prefixes(layers)])
    real_A = image_batch(n, size)
    real_B = image_batch(n, size)
    s0 = full_state(nG, nD)
    with torch.no_grad():
        fwd_G = G(real_A)
        fwd_D = D(torch.cat((real_A, real_B), 1))
    opt_G = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_D = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))

    fake_B = G(real_A)
    opt_D.zero_grad()
    loss_D_real, loss_D_fake = p2p.loss_d(real_A, real_B, fake_B)
    (0.5 * (loss_D_fake + loss_D_real)).backward()
    opt_D.step()
    s1 = full_state(nG, nD)

    opt_G.zero_grad()
    loss_G_GAN, loss_G_L1 = p2p.loss_g(real_A, real_B, fake_B)
    (loss_G_GAN + lam * loss_G_L1).backward()
    opt_G.step()
    s2 = full_state(nG, nD)

    write('pix2pix', {
        'family': 'pix2pix',
        'config': {'imageSize': size, 'ngf': ngf, 'ndf': ndf, 'dLayers': layers, 'batchSize': n,
                   'direction': 'AtoB'},
        'weights': enc_map(s0),
        'inputs': {'realA': enc(nchw_to_nhwc(real_A)), 'realB': enc(nchw_to_nhwc(real_B))},
        'forward': {'G': enc(nchw_to_nhwc(fwd_G)), 'D': enc(nchw_to_nhwc(fwd_D))},
        'steps': {
            'D': step_record(s0, s0, [loss_D_real.item(), loss_D_fake.item()], s1),
            'G': step_record(s0, s1, [loss_G_GAN.item(), loss_G_L1.item()], s2),
        },
    })


def unit_res(i):
    return [f'res{i}/conv0', f'res{i}/norm0', f'res{i}/conv1', f'res{i}/norm1']


SHARED_BLOCK = ['conv0', 'norm0', 'conv1', 'norm1']


def unit_encoder_prefixes(n_blocks, n_downsample=2):
    names = ['in', 'in/norm']
    for i in range(n_downsample):
        names += [f'down{i}', f'down{i}/norm']
    for i in range(n_blocks):
        names += unit_res(i)
    return names


def unit_generator_prefixes(n_blocks, n_downsample=2):
    names = []
    for i in range(n_blocks):
        names += unit_res(i)
    for i in range(n_downsample):
        names += [f'up{i}', f'up{i}/norm']
    return names + ['out']


def unit_d_prefixes(n_layers):
    names = ['conv0']
    for n in range(1, n_layers):
        names += [f'conv{n}', f'norm{n}']
    return names + ['out']


def unit_networks(unit, n_blocks, d_layers=None):
    """Our names for the twin's weights: each encoder's and generator's own blocks, the two shared
    blocks once (scope G, one optimiser), and, given d_layers, the two Ds."""
    nets = [
        Network('G/E1', unit.E1.model_blocks, unit_encoder_prefixes(n_blocks)),
        Network('G/E2', unit.E2.model_blocks, unit_encoder_prefixes(n_blocks)),
        Network('G/sharedE', unit.shared_E, SHARED_BLOCK),
        Network('G/sharedG', unit.shared_G, SHARED_BLOCK),
        Network('G/G1', unit.G1.model_blocks, unit_generator_prefixes(n_blocks)),
        Network('G/G2', unit.G2.model_blocks, unit_generator_prefixes(n_blocks)),
    ]
    if d_layers is not None:
        nets += [Network('D1', unit.D1, unit_d_prefixes(d_layers)),
                 Network('D2', unit.D2, unit_d_prefixes(d_layers))]
    return nets


# ------------------------------------------------------------------------------------------
# UNIT (PyTorch-GAN unit.py's loop): E1, E2, G1, G2 with one Adam on the ten-term loss; then D1
# and D2, each its own Adam, on the translations of that forward pass (detached).
# ------------------------------------------------------------------------------------------
def make_unit():
    torch.manual_seed(17)
    size, dim, blocks, ndf, layers, n = 16, 2, 1, 4, 2, 2
    lr, betas = 1e-4, (0.5, 0.999)
    unit = T.Unit(dim, blocks, ndf, layers)
    with torch.no_grad():  # the values the TypeScript side loads (see perturb_biases)
        for net in (unit.E1, unit.E2, unit.G1, unit.G2, unit.D1, unit.D2):
            for p in net.parameters():
                p.copy_(p.float().double())
    nets = unit_networks(unit, blocks, layers)
    x1 = image_batch(n, size)
    x2 = image_batch(n, size)
    latent = (n, dim * 4, size // 4, size // 4)
    noise = [torch.randn(latent).float().double() for _ in range(4)]
    s0 = full_state(*nets)
    with torch.no_grad():
        mu1, _ = unit.E1(x1, noise[0])
        fwd_G2 = unit.G2(mu1)
        fwd_D1 = unit.D1(x1)

    opt_G = torch.optim.Adam(unit.g_parameters(), lr=lr, betas=betas)
    opt_D1 = torch.optim.Adam(unit.D1.parameters(), lr=lr, betas=betas)
    opt_D2 = torch.optim.Adam(unit.D2.parameters(), lr=lr, betas=betas)
    terms, fake_X1, fake_X2 = unit.update_g(opt_G, x1, x2, noise)
    s1 = full_state(*nets)
    loss_D1, loss_D2 = unit.update_d(opt_D1, opt_D2, x1, x2, fake_X1, fake_X2)
    s2 = full_state(*nets)

    write('unit', {
        'family': 'unit',
        'config': {'imageSize': size, 'dim': dim, 'nBlocks': blocks, 'ndf': ndf, 'dLayers': layers,
                   'batchSize': n, 'lr': lr},
        'weights': enc_map(s0),
        'inputs': {'x1': enc(nchw_to_nhwc(x1)), 'x2': enc(nchw_to_nhwc(x2)),
                   **{k: enc(nchw_to_nhwc(v)) for k, v in zip(['n1', 'n2', 'n1Cycle', 'n2Cycle'], noise)}},
        'forward': {'mu1': enc(nchw_to_nhwc(mu1)), 'G2': enc(nchw_to_nhwc(fwd_G2)), 'D1': enc(nchw_to_nhwc(fwd_D1))},
        'steps': {
            'G': step_record(s0, s0, [t.item() for t in terms], s1),
            # Replayed from the initial weights with G's initial translations: D's change is all
            # of this step's (the G step leaves D untouched).
            'D': {**step_record(s0, s0, [loss_D1.item(), loss_D2.item()], s0),
                  'after': enc_map({k: v for k, v in s2.items() if k.startswith('D')})},
        },
    })


if __name__ == '__main__':
    import sys
    which = sys.argv[1:] or ['cyclegan', 'pix2pix', 'unit']
    for family in which:
        {'cyclegan': make_cyclegan, 'pix2pix': make_pix2pix, 'unit': make_unit}[family]()
    format_with_biome()
