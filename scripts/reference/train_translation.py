#!/usr/bin/python3
"""Trains the shipped Pix2Pix, CycleGAN and UNIT
(public/models/trained/{pix2pix,cyclegan,unit}-faces-32px.zip) with the PyTorch twins of our
networks (twin_translation.py, proved equal by src/models/parity/{pix2pix,cyclegan,unit}.test.ts
through make_fixtures_translation.py).

    npx vite-node scripts/trained/export-two-domain.ts                  # -> /tmp/gan-trained/twodomain32.*
    FAMILY=pix2pix /usr/bin/python3 scripts/reference/train_translation.py
    FAMILY=cyclegan /usr/bin/python3 scripts/reference/train_translation.py
    FAMILY=unit /usr/bin/python3 scripts/reference/train_translation.py
    npx vite-node scripts/trained/make-bundles.ts pix2pix cyclegan unit

The loops are junyanz/pytorch-CycleGAN-and-pix2pix's optimize_parameters as the parity fixtures
run them:
- Pix2Pix: fake = G(x); D on (x, y) and (x, fake) detached, 0.5 (BCE(D(x, y), 1) + BCE(D(x, fake),
  0)); then G against the updated D, BCE(D(x, fake), 1) + 100 |fake - y|. Direction BtoA (the
  family's default: line drawing -> photo).
- CycleGAN: G_AB and G_BA together with both Ds frozen, LSGAN + 10 (cycle A + cycle B) + 10 * 0.5
  (identity A + identity B); then both Ds on fakes from 50-image pools, 0.5 (MSE(D(real), 1) +
  MSE(D(pooled fake), 0)). Unpaired: A and B indices drawn independently.
- UNIT: PyTorch-GAN unit.py's loop: E1, E2, G1, G2 with one Adam on 10 GAN + 0.1 KL + 100
  recon + 0.1 cycle KL + 100 cycle (z = mu + N(0, I), KL = mean(mu^2), LSGAN); then D1 and D2,
  each its own Adam, on the detached translations, MSE(D(real), 1) + MSE(D(fake), 0). Adam 1e-4.
  Unpaired, as CycleGAN. The held-out figure decodes mu (no noise), as the page's.
All: Adam 2e-4 (UNIT 1e-4) (0.5, 0.999), batch 4, learning rate constant for the first half of ITERS and
decaying linearly to 0 over the second (our linearDecay, iterations counted from 1).

Sizes: CycleGAN at the family's defaults (32 px, ngf 16, 3 ResNet blocks, ndf 16, 3 PatchGAN
layers): its two generators are 545,030 floats, 2.2 MB. Pix2Pix's default U-Net (ngf 16) is
1,043,299 floats, 4.2 MB, over the 2.2 MB a shipped file may take, so the shipped Pix2Pix has
ngf 8 (261,139 floats, 1.0 MB; D keeps ndf 16); the bundle's config records it.

Departures from our TS loops (src/families/{pix2pix,cyclegan,unit}/experiment.ts): the twins train
on 4,000 - 64 faces dumped from their own seeded stream (the app's default draws 1,000 per run),
the last 64 held out for the figure printed here, for ITERS iterations (the decay runs over
ITERS, not the config's numIters). Seeded: torch.manual_seed(SEED), random.Random(SEED) for
the pools, one thread.
"""

import json
import os
import random

import numpy as np
import torch

import trained
import twin_translation as T
from make_fixtures_translation import resnet_prefixes, unet_prefixes, unit_networks

# make_fixtures_translation sets float64 as the default dtype on import: the twins train in float32.
torch.set_default_dtype(torch.float32)
torch.set_num_threads(1)

FAMILY = os.environ.get('FAMILY', 'pix2pix')
ITERS = int(os.environ.get('ITERS', {'pix2pix': 4000, 'cyclegan': 2500, 'unit': 2000}[FAMILY]))
SEED = int(os.environ.get('SEED', 1))
EVERY = int(os.environ.get('EVERY', 250))
NAME = os.environ.get('NAME', FAMILY)  # the weights file: /tmp/gan-trained/<NAME>.weights.*
SIZE, BATCH, BETAS = 32, 4, (0.5, 0.999)
LR = 1e-4 if FAMILY == 'unit' else 2e-4
HELD_OUT = 64
if FAMILY == 'pix2pix':
    CONFIG = dict(imageSize=SIZE, ngf=int(os.environ.get('NGF', 8)), ndf=16, dLayers=3,
                  batchSize=BATCH, lambdaL1=100, direction='BtoA')
elif FAMILY == 'cyclegan':
    CONFIG = dict(imageSize=SIZE, ngf=16, nBlocks=3, ndf=16, dLayers=3, batchSize=BATCH,
                  lambdaCyc=10, lambdaIdt=0.5, poolSize=50)
else:  # UNIT at the family's defaults (UNIT_DEFAULTS)
    CONFIG = dict(imageSize=SIZE, dim=8, nBlocks=3, ndf=16, dLayers=4, batchSize=BATCH, lr=LR,
                  lambdaGan=10, lambdaKl=0.1, lambdaId=100, lambdaKlCycle=0.1, lambdaCycle=100)


def load_pairs():
    """The dumped pairs as NCHW float32 in [-1, 1]: a[i] (photo) and b[i] (its drawing)."""
    with open(os.path.join(trained.DATA_DIR, f'twodomain{SIZE}.json')) as f:
        meta = json.load(f)
    n = meta['count']

    def read(domain):
        x = np.fromfile(os.path.join(trained.DATA_DIR, f'twodomain{SIZE}.{domain}.f32'), dtype='<f4')
        return torch.from_numpy(x.reshape(n, SIZE, SIZE, 3)).permute(0, 3, 1, 2).contiguous()

    return read('a'), read('b')


def learning_rate(iteration):
    """linearDecay: constant to ITERS / 2, then linearly to 0 at ITERS (iteration from 1)."""
    start = ITERS / 2
    return LR if iteration <= start else LR * max(0.0, (ITERS - iteration) / (ITERS - start))


def set_lr(optimizers, lr):
    for opt in optimizers:
        for group in opt.param_groups:
            group['lr'] = lr


def train_pix2pix(a, b, gen, clock):
    levels = int(np.log2(SIZE))
    p2p = T.Pix2Pix(levels, CONFIG['ngf'], CONFIG['ndf'], CONFIG['dLayers'])
    G, D = p2p.G, p2p.D
    opt_G = torch.optim.Adam(G.parameters(), LR, BETAS)
    opt_D = torch.optim.Adam(D.parameters(), LR, BETAS)
    # BtoA: the input is the drawing, the target the photo.
    xs, ys = b[:-HELD_OUT], a[:-HELD_OUT]
    x_test, y_test = b[-HELD_OUT:], a[-HELD_OUT:]
    copy = torch.mean(torch.abs(x_test - y_test)).item()

    def save(i):
        trained.write_weights(NAME, [trained.Network('G', G, unet_prefixes(levels))], CONFIG,
                              {'iterations': i, 'seconds': clock.seconds(), 'seed': SEED})

    for i in range(1, ITERS + 1):
        set_lr([opt_G, opt_D], learning_rate(i))
        idx = torch.randint(xs.size(0), (BATCH,), generator=gen)
        x, y = xs[idx], ys[idx]
        fake = G(x)
        # D: 0.5 (BCE(D(x, y), 1) + BCE(D(x, G(x)), 0)).
        opt_D.zero_grad()
        loss_D_real, loss_D_fake = p2p.loss_d(x, y, fake)
        (0.5 * (loss_D_fake + loss_D_real)).backward()
        opt_D.step()
        # G: BCE(D(x, G(x)), 1) + lambda_L1 |G(x) - y|, D frozen.
        D.requires_grad_(False)
        opt_G.zero_grad()
        loss_G_GAN, loss_G_L1 = p2p.loss_g(x, y, fake)
        (loss_G_GAN + CONFIG['lambdaL1'] * loss_G_L1).backward()
        opt_G.step()
        D.requires_grad_(True)
        if i % EVERY == 0 or i == ITERS:
            with torch.no_grad():
                err = torch.mean(torch.abs(G(x_test) - y_test)).item()
            print(f'{i} D {loss_D_real.item():.3f}/{loss_D_fake.item():.3f} G {loss_G_GAN.item():.3f} '
                  f'L1 {loss_G_L1.item():.3f} held-out B->A L1 {err:.4f} (copy {copy:.4f}) '
                  f'{clock.seconds()} s', flush=True)
            save(i)


def train_cyclegan(a, b, gen, clock):
    ngf, blocks, ndf, layers = CONFIG['ngf'], CONFIG['nBlocks'], CONFIG['ndf'], CONFIG['dLayers']
    lam_cyc, lam_idt = CONFIG['lambdaCyc'], CONFIG['lambdaIdt']
    cg = T.CycleGan(ngf, blocks, ndf, layers)
    # Ours G_AB (photo -> drawing), G_BA, D_B (judges drawings), D_A.
    netG_A, netG_B, netD_A, netD_B = cg.G_A, cg.G_B, cg.D_A, cg.D_B
    opt_G = torch.optim.Adam(cg.g_parameters(), LR, BETAS)
    opt_D = torch.optim.Adam(cg.d_parameters(), LR, BETAS)
    pool_rand = random.Random(SEED)
    pool_A = T.ImagePool(CONFIG['poolSize'], pool_rand)
    pool_B = T.ImagePool(CONFIG['poolSize'], pool_rand)
    train_a, train_b = a[:-HELD_OUT], b[:-HELD_OUT]
    test_a, test_b = a[-HELD_OUT:], b[-HELD_OUT:]
    copy = torch.mean(torch.abs(test_a - test_b)).item()

    def save(i):
        nets = [trained.Network('G/AB', netG_A, resnet_prefixes(blocks)),
                trained.Network('G/BA', netG_B, resnet_prefixes(blocks))]
        trained.write_weights(NAME, nets, CONFIG,
                              {'iterations': i, 'seconds': clock.seconds(), 'seed': SEED})

    for i in range(1, ITERS + 1):
        set_lr([opt_G, opt_D], learning_rate(i))
        # Unpaired: the two domains' indices drawn independently.
        real_A = train_a[torch.randint(train_a.size(0), (BATCH,), generator=gen)]
        real_B = train_b[torch.randint(train_b.size(0), (BATCH,), generator=gen)]
        # G: LSGAN(D_B(G_AB(a)), 1) + LSGAN(D_A(G_BA(b)), 1) + lambda_cyc (|rec_A - a| + |rec_B - b|)
        #    + lambda_cyc lambda_idt (|G_AB(b) - b| + |G_BA(a) - a|), Ds frozen.
        netD_A.requires_grad_(False)
        netD_B.requires_grad_(False)
        opt_G.zero_grad()
        loss_G, terms, fake_A, fake_B = cg.loss_g(real_A, real_B, lam_cyc, lam_idt)
        loss_G_A, loss_G_B, loss_cycle_A, loss_cycle_B = terms[:4]
        loss_G.backward()
        opt_G.step()
        netD_A.requires_grad_(True)
        netD_B.requires_grad_(True)
        # D: 0.5 (LSGAN(D(real), 1) + LSGAN(D(pooled fake), 0)) for each D.
        opt_D.zero_grad()
        loss_D_A = cg.loss_d(netD_A, real_B, pool_B.query(fake_B))
        loss_D_B = cg.loss_d(netD_B, real_A, pool_A.query(fake_A))
        (loss_D_A + loss_D_B).backward()
        opt_D.step()
        if i % EVERY == 0 or i == ITERS:
            with torch.no_grad():
                ab = torch.mean(torch.abs(netG_A(test_a) - test_b)).item()
                ba = torch.mean(torch.abs(netG_B(test_b) - test_a)).item()
            print(f'{i} D {loss_D_A.item():.3f}/{loss_D_B.item():.3f} G {loss_G_A.item():.3f}/'
                  f'{loss_G_B.item():.3f} cyc {loss_cycle_A.item():.3f}/{loss_cycle_B.item():.3f} '
                  f'held-out A->B L1 {ab:.4f} B->A L1 {ba:.4f} (copy {copy:.4f}) {clock.seconds()} s',
                  flush=True)
            save(i)


def train_unit(a, b, gen, clock):
    blocks = CONFIG['nBlocks']
    unit = T.Unit(CONFIG['dim'], blocks, CONFIG['ndf'], CONFIG['dLayers'])
    opt_G = torch.optim.Adam(unit.g_parameters(), LR, BETAS)
    opt_D1 = torch.optim.Adam(unit.D1.parameters(), LR, BETAS)
    opt_D2 = torch.optim.Adam(unit.D2.parameters(), LR, BETAS)
    lambdas = tuple(CONFIG[k] for k in ('lambdaGan', 'lambdaKl', 'lambdaId', 'lambdaKlCycle', 'lambdaCycle'))
    train_a, train_b = a[:-HELD_OUT], b[:-HELD_OUT]
    test_a, test_b = a[-HELD_OUT:], b[-HELD_OUT:]
    copy = torch.mean(torch.abs(test_a - test_b)).item()
    latent = (BATCH, CONFIG['dim'] * 4, SIZE // 4, SIZE // 4)

    def save(i):
        trained.write_weights(NAME, unit_networks(unit, blocks), CONFIG,
                              {'iterations': i, 'seconds': clock.seconds(), 'seed': SEED})

    def translate(E, G, x):
        mu, _ = E(x, 0.0)
        return G(mu)

    for i in range(1, ITERS + 1):
        set_lr([opt_G, opt_D1, opt_D2], learning_rate(i))
        x1 = train_a[torch.randint(train_a.size(0), (BATCH,), generator=gen)]
        x2 = train_b[torch.randint(train_b.size(0), (BATCH,), generator=gen)]
        noise = [torch.randn(latent, generator=gen) for _ in range(4)]
        # E/G on the ten terms with the Ds frozen; then D1 and D2 on the detached translations,
        # MSE(D(x), 1) + MSE(D(fake), 0), each its own Adam.
        terms, fake_X1, fake_X2 = unit.update_g(opt_G, x1, x2, noise, lambdas)
        loss_D1, loss_D2 = unit.update_d(opt_D1, opt_D2, x1, x2, fake_X1, fake_X2)
        if i % EVERY == 0 or i == ITERS:
            with torch.no_grad():
                fake_b = translate(unit.E1, unit.G2, test_a)
                fake_a = translate(unit.E2, unit.G1, test_b)
                ab = torch.mean(torch.abs(fake_b - test_b)).item()
                ba = torch.mean(torch.abs(fake_a - test_a)).item()
                cyc = 0.5 * (torch.mean(torch.abs(translate(unit.E2, unit.G1, fake_b) - test_a))
                             + torch.mean(torch.abs(translate(unit.E1, unit.G2, fake_a) - test_b))).item()
            t = [f'{v.item():.3f}' for v in terms]
            print(f'{i} D {loss_D1.item():.3f}/{loss_D2.item():.3f} G terms {" ".join(t)} '
                  f'held-out A->B L1 {ab:.4f} B->A L1 {ba:.4f} cycle {cyc:.4f} (copy {copy:.4f}) '
                  f'{clock.seconds()} s', flush=True)
            save(i)


def main():
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    a, b = load_pairs()
    clock = trained.Clock()
    print(f'{FAMILY} {CONFIG} seed {SEED}, {ITERS} iterations', flush=True)
    {'pix2pix': train_pix2pix, 'cyclegan': train_cyclegan, 'unit': train_unit}[FAMILY](a, b, gen, clock)


if __name__ == '__main__':
    main()
