#!/usr/bin/python3
"""Trains StackGAN++ with the PyTorch twin of our networks (twin_stackgan.py, proved equal by
src/models/parity/stackgan.test.ts) on captioned toy faces, for the learning figures in the
README and a trained model.

    npx vite-node scripts/reference/stackgan_data.ts      # faces + caption embeddings
    /usr/bin/python3 scripts/reference/train_stackgan.py   # -> /tmp/gan-trained/stackgan-<i>.weights.*
    npx vite-node scripts/stackgan-twin-quality.ts         # the app's figures at each checkpoint

The loop is hanzhanggit/StackGAN-v2 trainer.py's condGANTrainer.train as the parity fixture
runs it: G's forward pass, each D's update on real, wrong and fake, G's update summed over the
stages with KL (weight 2), unconditional terms (weight 1) and colour consistency (weight 50),
then the weight average avg <- 0.999 avg + 0.001 w. Adam 2e-4 (0.5, 0.999). Per face one of
its captions is drawn at random (the reference draws one of ten); the wrong image is another
face with other attributes (the reference: another class); faces are flipped at random. The
smaller stages' reals are 2 x 2 box averages of the finest (the reference resizes each scale).
Seeded: torch.manual_seed(SEED), one thread.
"""

import copy
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import trained
import twin_stackgan as sg
from make_fixtures_stackgan import g_prefixes

# make_fixtures_stackgan computes in float64 for the fixtures; training is float32.
torch.set_default_dtype(torch.float32)
torch.set_num_threads(1)

ITERS = int(os.environ.get('ITERS', 3000))
SEED = int(os.environ.get('SEED', 1))
CHECKPOINTS = [int(v) for v in os.environ.get('CHECKPOINTS', '0,250,500,1000,2000,3000').split(',')]
NAME = os.environ.get('NAME', 'stackgan')
CONFIG = dict(
    mode='text', baseSize=int(os.environ.get('BASE', 16)), branches=3, zDim=100, embeddingDim=int(os.environ.get('EF', 8)),
    gfDim=int(os.environ.get('GF', 16)), rNum=int(os.environ.get('RES', 1)),
    dfDim=int(os.environ.get('DF', 8)), batchSize=int(os.environ.get('BATCH', 24)),
    lambdaKl=2.0, uncondLoss=1.0, lambdaColor=50.0, emaDecay=0.999,
)
LR = 2e-4


def load_data():
    d = trained.DATA_DIR
    with open(os.path.join(d, 'stackgan-data.json')) as f:
        meta = json.load(f)
    n, s, k, t = meta['count'], meta['size'], meta['captions'], meta['textDim']
    images = np.fromfile(os.path.join(d, f'stackgan-faces{s}.f32'), dtype='<f4').reshape(n, s, s, 3)
    attributes = np.fromfile(os.path.join(d, 'stackgan-attributes.f32'), dtype='<f4').reshape(n, 4)
    captions = np.fromfile(os.path.join(d, 'stackgan-captions.f32'), dtype='<f4').reshape(n, k, t)
    x = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()
    return x, torch.from_numpy(attributes.copy()), torch.from_numpy(captions.copy())


def main():
    torch.manual_seed(SEED)
    c = CONFIG
    gen = torch.Generator().manual_seed(SEED)
    x_all, attrs, caps = load_data()
    # The data are 64 px; a smaller finest stage (BASE=8: 8/16/32 px) gets their box averages.
    while x_all.shape[-1] > c['baseSize'] * 2 ** (c['branches'] - 1):
        x_all = F.avg_pool2d(x_all, 2)
    n_faces, k_caps = caps.shape[0], caps.shape[1]
    sizes = [c['baseSize'] * 2**i for i in range(c['branches'])]
    G = sg.G_NET(c['gfDim'], c['zDim'], c['embeddingDim'], caps.shape[2], c['baseSize'], c['branches'], c['rNum'], True)
    Ds = [sg.D_NET(c['dfDim'], c['embeddingDim'], c['baseSize'], s, True) for s in sizes]
    for net in [G, *Ds]:
        net.apply(sg.weights_init)
    avg = [p.detach().clone() for p in G.parameters()]
    opt_G = torch.optim.Adam(G.parameters(), lr=LR, betas=(0.5, 0.999))
    opt_Ds = [torch.optim.Adam(D.parameters(), lr=LR, betas=(0.5, 0.999)) for D in Ds]
    bce = nn.BCELoss()
    n = c['batchSize']
    ones, zeros = torch.ones(n), torch.zeros(n)
    u = c['uncondLoss']
    prefixes = g_prefixes(True, int(math.log2(c['baseSize'] // 4)), c['branches'], c['rNum'])
    clock = trained.Clock()

    def checkpoint(i):
        G_ema = copy.deepcopy(G)
        with torch.no_grad():
            for p, a in zip(G_ema.parameters(), avg):
                p.copy_(a)
        nets = [trained.Network('G', G, prefixes), trained.Network('Gema', G_ema, prefixes)]
        trained.write_weights(f'{NAME}-{i}', nets, CONFIG, {'iterations': i, 'seconds': clock.seconds(), 'seed': SEED})

    if 0 in CHECKPOINTS:
        checkpoint(0)
    for i in range(1, ITERS + 1):
        idx = torch.randint(n_faces, (n,), generator=gen)
        real = trained.random_flip(x_all[idx], gen)
        text = caps[idx, torch.randint(k_caps, (n,), generator=gen)]
        wrong_idx = torch.randint(n_faces, (n,), generator=gen)
        for _ in range(32):
            same = (attrs[wrong_idx] == attrs[idx]).all(1)
            if not same.any():
                break
            wrong_idx = torch.where(same, torch.randint(n_faces, (n,), generator=gen), wrong_idx)
        wrong = x_all[wrong_idx]
        reals, wrongs = [real], [wrong]
        for _ in range(1, len(sizes)):
            reals.insert(0, F.avg_pool2d(reals[0], 2))
            wrongs.insert(0, F.avg_pool2d(wrongs[0], 2))
        z = torch.randn(n, c['zDim'], generator=gen)
        eps = torch.randn(n, c['embeddingDim'], generator=gen)

        fake_imgs, mu, logvar = G(z, text, eps)
        for k, D in enumerate(Ds):
            D.zero_grad()
            cd = mu.detach()
            rl, wl, fl = D(reals[k], cd), D(wrongs[k], cd), D(fake_imgs[k].detach(), cd)
            errD = (bce(rl[0], ones) + u * bce(rl[1], ones)) + (bce(wl[0], zeros) + u * bce(wl[1], ones)) + (
                bce(fl[0], zeros) + u * bce(fl[1], zeros))
            errD.backward()
            opt_Ds[k].step()
        G.zero_grad()
        errG = 0
        for k, D in enumerate(Ds):
            out = D(fake_imgs[k], mu)
            errG = errG + bce(out[0], ones) + u * bce(out[1], ones)
        for fine, coarse in [(-1, -2), (-2, -3)]:
            mu1, cov1 = sg.compute_mean_covariance(fake_imgs[fine])
            mu2, cov2 = sg.compute_mean_covariance(fake_imgs[coarse].detach())
            errG = errG + c['lambdaColor'] * nn.MSELoss()(mu1, mu2) + c['lambdaColor'] * 5 * nn.MSELoss()(cov1, cov2)
        errG = errG + sg.KL_loss(mu, logvar) * c['lambdaKl']
        errG.backward()
        opt_G.step()
        with torch.no_grad():
            for p, a in zip(G.parameters(), avg):
                a.mul_(c['emaDecay']).add_(p.detach(), alpha=1 - c['emaDecay'])
        if i % 100 == 0:
            print(f'{i} errD {errD.item():.3f} errG {errG.item():.3f} {clock.seconds()} s', flush=True)
        if i in CHECKPOINTS:
            checkpoint(i)


if __name__ == '__main__':
    main()
