#!/usr/bin/python3
"""Times one full training iteration of the PyTorch twins of six families and the three
convolutional image GANs on this CPU, at the web app's default sizes (its bench cases), to
set our TF.js iteration times beside PyTorch's.

    /usr/bin/python3 scripts/reference/torch_iteration_bench.py

An iteration is as in the app's benchmark (src/engine/benchmark.ts): all of the reference's
D (critic) and G updates of one training iteration, with the weight averages it keeps. Each
is the loop of the family's training script (train_starganv2.py, train_stackgan.py,
train_stylegan.py, train_translation.py) on the twins' networks and loss functions, or the
training script's own iteration (train_imagegan.py):
- StarGAN v2: D with a latent, D with a reference (each with R1 on the reals), G, F and E
  with latents, G with references, the EMA of G, F and E (clovaai/stargan-v2's Solver.train);
- StackGAN++: G's forward pass, each stage's D on real, wrong and fake, G on every stage with
  KL and colour consistency, G's weight average;
- Pix2Pix: D, then G against the updated D;
- CycleGAN: both Gs with the Ds frozen, then both Ds on fakes from the image pools;
- UNIT: E1, E2, G1, G2 with one Adam, then D1 and D2;
- StyleGAN-lite: D with R1, G, the dlatent average and G_ema;
- DCGAN, WGAN, WGAN-GP: the critic's or D's updates and a G update, WGAN's as in its first 25
  G updates (100 critic updates), as the app's benchmark times it.
The data are random images in [-1, 1], domains, captions, latents and noise, drawn before
each iteration's clock starts. Learning rates stay constant (the scripts' decays are
schedules, not work), and StarGAN v2's lambda_ds stays at its initial 1.

Prints `family | config | median ms | p10-p90 ms` per family, over ITERS timed iterations after
2 warm-up ones. Environment: ITERS (default 10), THREADS (torch threads, default 2),
FAMILIES (a comma list of starganv2, stackgan, pix2pix, cyclegan, unit, stylegan, dcgan, wgan,
wgan-gp; default all), TINY=1 (every config shrunk to batch 2, widths 4 and small images, to check the script).
Seeded with torch.manual_seed(1), float32.
"""

import copy
import math
import os
import random
import time
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F

import train_imagegan
import twin_stackgan as sg
import twin_starganv2 as v2
import twin_translation as T
from make_fixtures_stackgan import TEXT_DIM, captions_like
from twin_stylegan import StyleGanTwin, layer_res

# make_fixtures_stackgan sets float64 as the default dtype on import; the app and the
# training scripts run in float32.
torch.set_default_dtype(torch.float32)

WARMUP = 2
ITERS = int(os.environ.get('ITERS', 10))
THREADS = int(os.environ.get('THREADS', 2))
TINY = os.environ.get('TINY') == '1'

# The sizes the app's default bench cases train at (its *_DEFAULTS), and the TINY ones: the
# smallest images each network's down-sampling allows (a PatchGAN or UNIT D must not reach
# 1 px before an instance norm or its last 4 x 4 conv; StackGAN++'s D starts at 8 px).
SIZES = {
    'starganv2': (
        dict(imageSize=32, convDim=16, maxConvDim=64, repeatNum=2, styleDim=16, latentDim=16, hiddenDim=64, batch=8),
        dict(imageSize=16, convDim=4, maxConvDim=8, repeatNum=1, styleDim=4, latentDim=4, hiddenDim=8, batch=2)),
    'stackgan': (
        dict(baseSize=16, branches=3, zDim=100, embeddingDim=16, gfDim=32, rNum=2, dfDim=16, batch=24),
        dict(baseSize=8, branches=3, zDim=8, embeddingDim=4, gfDim=4, rNum=1, dfDim=4, batch=2)),
    'pix2pix': (
        dict(imageSize=32, ngf=16, ndf=16, dLayers=3, batch=4),
        dict(imageSize=16, ngf=4, ndf=4, dLayers=2, batch=2)),
    'cyclegan': (
        dict(imageSize=32, ngf=16, nBlocks=3, ndf=16, dLayers=3, batch=4),
        dict(imageSize=16, ngf=4, nBlocks=1, ndf=4, dLayers=2, batch=2)),
    'unit': (
        dict(imageSize=32, dim=8, nBlocks=3, ndf=16, dLayers=4, batch=4),
        dict(imageSize=16, dim=4, nBlocks=1, ndf=4, dLayers=3, batch=2)),
    'stylegan': (
        dict(imageSize=32, latentDim=64, mappingLayers=8, width=32, batch=16),
        dict(imageSize=16, latentDim=8, mappingLayers=2, width=4, batch=2)),
    **{variant: (
        dict(imageSize=32, zDim=train_imagegan.Z_DIM, width=16, batch=train_imagegan.BATCH),
        dict(imageSize=16, zDim=train_imagegan.Z_DIM, width=4, batch=2),
    ) for variant in ('dcgan', 'wgan', 'wgan-gp')},
}


def images(n, size):
    return torch.rand(n, 3, size, size) * 2 - 1


def starganv2(s):
    """train_starganv2.py's iteration; the app's toy animals have 3 domains."""
    domains, n, size = 3, s['batch'], s['imageSize']
    nets = {
        'generator': v2.Generator(s['convDim'], s['styleDim'], s['maxConvDim'], s['repeatNum']),
        'mapping_network': v2.MappingNetwork(s['latentDim'], s['styleDim'], domains, s['hiddenDim']),
        'style_encoder': v2.StyleEncoder(size, s['convDim'], s['styleDim'], domains, s['maxConvDim']),
        'discriminator': v2.Discriminator(size, s['convDim'], domains, s['maxConvDim']),
    }
    for net in nets.values():
        net.apply(v2.he_init)
    ema = {k: copy.deepcopy(nets[k]) for k in ['generator', 'mapping_network', 'style_encoder']}
    ns = SimpleNamespace(**nets)
    args = SimpleNamespace(lambda_reg=1.0, lambda_sty=1.0, lambda_ds=1.0, lambda_cyc=1.0)
    optims = {k: torch.optim.Adam(net.parameters(), lr=1e-6 if k == 'mapping_network' else 1e-4,
                                  betas=[0.0, 0.99], weight_decay=1e-4) for k, net in nets.items()}

    def batch():
        return SimpleNamespace(
            x_real=images(n, size), x_ref=images(n, size), x_ref2=images(n, size),
            y_org=torch.randint(domains, (n,)), y_trg=torch.randint(domains, (n,)),
            z_trg=torch.randn(n, s['latentDim']), z_trg2=torch.randn(n, s['latentDim']))

    def step(b):
        for kw in [{'z_trg': b.z_trg}, {'x_ref': b.x_ref}]:
            loss, _ = v2.compute_d_loss(ns, args, b.x_real, b.y_org, b.y_trg, **kw)
            for o in optims.values():
                o.zero_grad()
            loss.backward()
            optims['discriminator'].step()
        for kw, stepped in [({'z_trgs': [b.z_trg, b.z_trg2]}, ['generator', 'mapping_network', 'style_encoder']),
                            ({'x_refs': [b.x_ref, b.x_ref2]}, ['generator'])]:
            loss, _ = v2.compute_g_loss(ns, args, b.x_real, b.y_org, b.y_trg, **kw)
            for o in optims.values():
                o.zero_grad()
            loss.backward()
            for k in stepped:
                optims[k].step()
        for k in ema:
            v2.moving_average(nets[k], ema[k], beta=0.999)

    return batch, step


def stackgan(s):
    """train_stackgan.py's iteration (text mode: every D judges real, wrong and fake)."""
    n, ef, u, color = s['batch'], s['embeddingDim'], 1.0, 50.0
    sizes = [s['baseSize'] * 2**i for i in range(s['branches'])]
    G = sg.G_NET(s['gfDim'], s['zDim'], ef, TEXT_DIM, s['baseSize'], s['branches'], s['rNum'], True)
    Ds = [sg.D_NET(s['dfDim'], ef, s['baseSize'], size, True) for size in sizes]
    for net in [G, *Ds]:
        net.apply(sg.weights_init)
    avg = [p.detach().clone() for p in G.parameters()]
    opt_G = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_Ds = [torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999)) for D in Ds]
    bce = nn.BCELoss()
    ones, zeros = torch.ones(n), torch.zeros(n)

    def batch():
        # The smaller stages' reals are box averages of the finest, as the training script's.
        reals, wrongs = [images(n, sizes[-1])], [images(n, sizes[-1])]
        for _ in sizes[1:]:
            reals.insert(0, F.avg_pool2d(reals[0], 2))
            wrongs.insert(0, F.avg_pool2d(wrongs[0], 2))
        return SimpleNamespace(reals=reals, wrongs=wrongs, text=captions_like(n),
                               z=torch.randn(n, s['zDim']), eps=torch.randn(n, ef))

    def step(b):
        fake_imgs, mu, logvar = G(b.z, b.text, b.eps)
        for k, D in enumerate(Ds):
            D.zero_grad()
            cd = mu.detach()
            rl, wl, fl = D(b.reals[k], cd), D(b.wrongs[k], cd), D(fake_imgs[k].detach(), cd)
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
            errG = errG + color * nn.MSELoss()(mu1, mu2) + color * 5 * nn.MSELoss()(cov1, cov2)
        errG = errG + sg.KL_loss(mu, logvar) * 2.0
        errG.backward()
        opt_G.step()
        with torch.no_grad():
            for p, a in zip(G.parameters(), avg):
                a.mul_(0.999).add_(p.detach(), alpha=1 - 0.999)

    return batch, step


def pix2pix(s):
    """train_translation.py's train_pix2pix iteration (one G(x) serves both updates)."""
    n, size = s['batch'], s['imageSize']
    p2p = T.Pix2Pix(int(math.log2(size)), s['ngf'], s['ndf'], s['dLayers'])
    G, D = p2p.G, p2p.D
    opt_G = torch.optim.Adam(G.parameters(), 2e-4, (0.5, 0.999))
    opt_D = torch.optim.Adam(D.parameters(), 2e-4, (0.5, 0.999))

    def batch():
        return images(n, size), images(n, size)

    def step(b):
        x, y = b
        fake = G(x)
        opt_D.zero_grad()
        loss_D_real, loss_D_fake = p2p.loss_d(x, y, fake)
        (0.5 * (loss_D_fake + loss_D_real)).backward()
        opt_D.step()
        D.requires_grad_(False)
        opt_G.zero_grad()
        loss_G_GAN, loss_G_L1 = p2p.loss_g(x, y, fake)
        (loss_G_GAN + 100 * loss_G_L1).backward()
        opt_G.step()
        D.requires_grad_(True)

    return batch, step


def cyclegan(s):
    """train_translation.py's train_cyclegan iteration, pools of 50 fakes."""
    n, size = s['batch'], s['imageSize']
    cg = T.CycleGan(s['ngf'], s['nBlocks'], s['ndf'], s['dLayers'])
    opt_G = torch.optim.Adam(cg.g_parameters(), 2e-4, (0.5, 0.999))
    opt_D = torch.optim.Adam(cg.d_parameters(), 2e-4, (0.5, 0.999))
    pool_rand = random.Random(1)
    pool_A, pool_B = T.ImagePool(50, pool_rand), T.ImagePool(50, pool_rand)

    def batch():
        return images(n, size), images(n, size)

    def step(b):
        real_A, real_B = b
        cg.D_A.requires_grad_(False)
        cg.D_B.requires_grad_(False)
        opt_G.zero_grad()
        loss_G, _, fake_A, fake_B = cg.loss_g(real_A, real_B, 10, 0.5)
        loss_G.backward()
        opt_G.step()
        cg.D_A.requires_grad_(True)
        cg.D_B.requires_grad_(True)
        opt_D.zero_grad()
        loss_D_A = cg.loss_d(cg.D_A, real_B, pool_B.query(fake_B))
        loss_D_B = cg.loss_d(cg.D_B, real_A, pool_A.query(fake_A))
        (loss_D_A + loss_D_B).backward()
        opt_D.step()

    return batch, step


def unit(s):
    """train_translation.py's train_unit iteration: Unit.update_g, then Unit.update_d."""
    n, size = s['batch'], s['imageSize']
    net = T.Unit(s['dim'], s['nBlocks'], s['ndf'], s['dLayers'])
    opt_G = torch.optim.Adam(net.g_parameters(), 1e-4, (0.5, 0.999))
    opt_D1 = torch.optim.Adam(net.D1.parameters(), 1e-4, (0.5, 0.999))
    opt_D2 = torch.optim.Adam(net.D2.parameters(), 1e-4, (0.5, 0.999))
    # lambdaGan, lambdaKl, lambdaId, lambdaKlCycle, lambdaCycle.
    lambdas = (10, 0.1, 100, 0.1, 100)
    latent = (n, s['dim'] * 4, size // 4, size // 4)

    def batch():
        return images(n, size), images(n, size), [torch.randn(latent) for _ in range(4)]

    def step(b):
        x1, x2, noise = b
        _, fake_X1, fake_X2 = net.update_g(opt_G, x1, x2, noise, lambdas)
        net.update_d(opt_D1, opt_D2, x1, x2, fake_X1, fake_X2)

    return batch, step


def stylegan(s):
    """train_stylegan.py's iteration: mixing probability 0.9, R1 gamma 10, G_ema half-life 0.5 kimg."""
    n, size, latent = s['batch'], s['imageSize'], s['latentDim']
    twin = StyleGanTwin(size, latent, s['mappingLayers'], s['width'], lrmul=0.01, dtype=torch.float32)
    layers = twin.layers
    g_names = [k for k in twin.G if k != 'G/dlatent_avg']
    for k in g_names:
        twin.G[k].requires_grad_(True)
    for v in twin.D.values():
        v.requires_grad_(True)
    opt_g = torch.optim.Adam([twin.G[k] for k in g_names], lr=1e-3, betas=(0.0, 0.99), eps=1e-8)
    opt_d = torch.optim.Adam(list(twin.D.values()), lr=1e-3, betas=(0.0, 0.99), eps=1e-8)
    Gs = {k: v.detach().clone() for k, v in twin.G.items()}
    beta = 0.5 ** (n / (0.5 * 1000))
    rng = random.Random(1)

    def draws():
        z1, z2 = torch.randn(n, latent), torch.randn(n, latent)
        crossover = rng.randrange(1, layers) if rng.random() < 0.9 else layers
        noise = [torch.randn(n, 1, layer_res(i), layer_res(i)) for i in range(layers)]
        return z1, z2, crossover, noise

    def batch():
        # The D step and the G step each draw their own latents, mixing and noise.
        return images(n, size), draws(), draws()

    def step(b):
        real, (z1, z2, c, noise), (gz1, gz2, gc, gnoise) = b
        with torch.no_grad():
            ws, w1 = twin.styles(z1, z2, c)
            fake = twin.synthesis(ws, noise)
        total, _ = twin.d_loss(real, fake, 10.0)
        opt_d.zero_grad()
        total.backward()
        opt_d.step()
        twin.track_mean(w1, 0.995)
        ws, w1 = twin.styles(gz1, gz2, gc)
        g_total, _ = twin.g_loss(twin.synthesis(ws, gnoise))
        twin.track_mean(w1.detach(), 0.995)
        opt_g.zero_grad()
        g_total.backward()
        opt_g.step()
        with torch.no_grad():
            for k, v in twin.G.items():
                Gs[k] = v.detach().clone() if 'dlatent' in k else Gs[k] * beta + v.detach() * (1 - beta)

    return batch, step


def image_gan(variant):
    """train_imagegan.py's own iteration, G update 0."""
    def family(s):
        n, size = s['batch'], s['imageSize']
        m = train_imagegan.build(variant, size, s['width'])
        steps = train_imagegan.critic_steps(variant, 0)

        def batch():
            return (
                [images(n, size) for _ in range(steps)],
                [torch.randn(n, s['zDim']) for _ in range(steps + 1)],
                [torch.rand(n, 1, 1, 1) for _ in range(steps)],
            )

        def step(b):
            reals, noises, alphas = (iter(draws) for draws in b)
            draw = SimpleNamespace(real=lambda: next(reals), noise=lambda: next(noises),
                                   alpha=lambda: next(alphas))
            train_imagegan.iteration(m, 0, draw)

        return batch, step

    return family


FAMILIES = {'starganv2': starganv2, 'stackgan': stackgan, 'pix2pix': pix2pix, 'cyclegan': cyclegan,
            'unit': unit, 'stylegan': stylegan,
            **{variant: image_gan(variant) for variant in ('dcgan', 'wgan', 'wgan-gp')}}


def percentile(sorted_ms, p):
    """The app's nearest-rank percentile (benchmark.ts), so the figures compare like for like."""
    return sorted_ms[min(len(sorted_ms) - 1, math.floor(p * (len(sorted_ms) - 1) + 0.5))]


def bench(name):
    sizes = SIZES[name][1 if TINY else 0]
    batch, step = FAMILIES[name](sizes)
    times = []
    for i in range(WARMUP + ITERS):
        b = batch()
        started = time.perf_counter()
        step(b)
        if i >= WARMUP:
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    summary = ' '.join(f'{k} {v}' for k, v in sizes.items())
    print(f'{name} | {summary} | {percentile(times, 0.5):.1f} ms | '
          f'{percentile(times, 0.1):.1f}-{percentile(times, 0.9):.1f} ms', flush=True)


def main():
    names = os.environ.get('FAMILIES', ','.join(FAMILIES)).split(',')
    unknown = [name for name in names if name not in FAMILIES]
    if unknown:
        raise SystemExit(f'unknown families {unknown}; choose from {list(FAMILIES)}')
    torch.set_num_threads(THREADS)
    print(f'torch {torch.__version__}, {THREADS} threads, {ITERS} timed iterations after {WARMUP} warm-up'
          f'{", TINY" if TINY else ""}', flush=True)
    for name in names:
        torch.manual_seed(1)
        bench(name)


if __name__ == '__main__':
    main()
