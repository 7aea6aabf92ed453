#!/usr/bin/python3
"""Trains the shipped image GANs (public/models/trained/<variant>-faces-32px.zip) with the
PyTorch twins of our networks (twins.py, proved equal by src/models/parity/imagegan.test.ts).

    npx vite-node scripts/trained/export-data.ts                          # toy faces
    SIZE=16 npx vite-node scripts/trained/export-data.ts                  # faces at 16 px, for gan
    VARIANT=dcgan /usr/bin/python3 scripts/reference/train_imagegan.py    # or gan, wgan, wgan-gp
    npx vite-node scripts/trained/make-bundles.ts dcgan

The models are the family's defaults for each variant (IMAGE_GAN_DEFAULTS: 32 px toy faces,
z 100, widths 16, batch 64), trained as their references do:
  gan       PyTorch-GAN gan.py's MLPs at 16 px, widths 32 (G 64-128-256-512, D 256-128; the
            default's 32 px and widths 64 make a 12 MB generator, over the 2 MB budget): G
            step first, then D on the same images with its loss halved; BCE; Adam 2e-4
            (0.5, 0.999); the reference's default init.
  dcgan     pytorch/examples dcgan/main.py: init N(0, 0.02), BCE, D on real and on G(z), then G
            on the same fake images; Adam 2e-4 (0.5, 0.999).
  wgan      martinarjovsky/WassersteinGAN main.py: DCGAN_G and DCGAN_D (batch norm), critic
            weights clamped to [-0.01, 0.01] before each critic update, 100 critic updates for
            the first 25 G updates and every 500th, else 5; the critic minimises
            D(x) - D(G(z)), G minimises D(G(z)); RMSprop 5e-5 (PyTorch's defaults otherwise).
  wgan-gp   the WGAN-GP critic (DCGAN_D_nobn) and generator, 5 critic updates with the gradient
            penalty (lambda 10) per G update on fresh noise; Adam 1e-4 (0.5, 0.9).
Departures from our TS loop (src/families/imagegan/experiment.ts): it trains on 20,000 faces
dumped from their own seeded stream (the app's default draws 2,000); our DCGAN step draws a
fresh z for G (the reference, and this script, reuse the D step's fake). Seeded:
torch.manual_seed(SEED), one thread. ITERS counts G updates. torch_iteration_bench.py times
the same `build` and `iteration`.
"""

import os
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F

import trained
import twins
from make_fixtures import dcgan_init, dcgan_prefixes, gan_generator_network

VARIANT = os.environ.get('VARIANT', 'dcgan')
ITERS = int(os.environ.get('ITERS', 5000))
SEED = int(os.environ.get('SEED', 1))
EVERY = int(os.environ.get('EVERY', 500))
Z_DIM, BATCH = 100, 64
HYPER = {
    'gan': dict(lr=2e-4, betas=(0.5, 0.999), n_critic=1),
    'dcgan': dict(lr=2e-4, betas=(0.5, 0.999), n_critic=1),
    'wgan': dict(lr=5e-5, n_critic=5, clip=0.01),
    'wgan-gp': dict(lr=1e-4, betas=(0.5, 0.9), n_critic=5, lambda_gp=10.0),
}


def sizes(variant):
    """Image size and G's and D's base widths (gan's MLPs: see the header)."""
    return (16, 32, 32) if variant == 'gan' else (32, 16, 16)


def generator_network(variant, G):
    """G under our names (make_fixtures.py's maps, proved by the parity tests)."""
    size = sizes(variant)[0]
    if variant == 'gan':
        return gan_generator_network(G, size)
    return trained.Network('G', G, dcgan_prefixes(size, 'G'))


def build(variant, size=None, width=None):
    """The variant's G and D, initialised, and their optimisers (at other than the shipped
    size and widths for torch_iteration_bench.py's quick check)."""
    size0, g, d = sizes(variant)
    size = size or size0
    g, d = width or g, width or d
    if variant == 'gan':
        shape = (3, size, size)
        G = twins.MlpGenerator(Z_DIM, [2 * g, 4 * g, 8 * g, 16 * g], shape)
        D = twins.MlpDiscriminator([8 * d, 4 * d], shape)
    else:
        G = twins.DcganGenerator(Z_DIM, g, size)
        D = twins.DcganDiscriminator(d, size, batch_norm=variant != 'wgan-gp')
        G.apply(dcgan_init)
        D.apply(dcgan_init)
    hyper = HYPER[variant]
    if variant == 'wgan':
        opt_G = torch.optim.RMSprop(G.parameters(), hyper['lr'])
        opt_D = torch.optim.RMSprop(D.parameters(), hyper['lr'])
    else:
        opt_G = torch.optim.Adam(G.parameters(), hyper['lr'], hyper['betas'], eps=1e-8)
        opt_D = torch.optim.Adam(D.parameters(), hyper['lr'], hyper['betas'], eps=1e-8)
    return SimpleNamespace(variant=variant, G=G, D=D, opt_G=opt_G, opt_D=opt_D)


def bce(logits, target):
    """BCE of every logit against one label (its batch is the logits')."""
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target))


def critic_steps(variant, i):
    """D's (the critic's) updates in G update i."""
    if variant == 'wgan':
        return 100 if i < 25 or i % 500 == 0 else HYPER['wgan']['n_critic']
    return HYPER[variant]['n_critic']


def iteration(m, i, draw):
    """G update i (counted from 0) and the D or critic updates that go with it. `draw` gives
    real batches (draw.real()), latents (draw.noise()) and WGAN-GP's mixing weights
    (draw.alpha()). Returns D's last real and fake terms and G's loss."""
    G, D, opt_G, opt_D, hyper = m.G, m.D, m.opt_G, m.opt_D, HYPER[m.variant]
    if m.variant == 'gan':
        # G: BCE(D(G(z)), 1).
        fake = G(draw.noise())
        g_loss = bce(D.logits(fake), 1)
        opt_G.zero_grad()
        g_loss.backward()
        opt_G.step()
        # D: (BCE(D(x), 1) + BCE(D(G(z)), 0)) / 2, on the images G made before its step.
        real = draw.real()
        d_real = bce(D.logits(real), 1)
        d_fake = bce(D.logits(fake.detach()), 0)
        opt_D.zero_grad()
        ((d_real + d_fake) / 2).backward()
        opt_D.step()
        return d_real, d_fake, g_loss
    if m.variant == 'wgan':
        for _ in range(critic_steps('wgan', i)):
            for p in D.parameters():
                p.data.clamp_(-hyper['clip'], hyper['clip'])
            real = draw.real()
            with torch.no_grad():
                fake = G(draw.noise())
            # The critic minimises E D(x) - E D(G(z)) (the reference's backward(one/mone)).
            d_real = D.logits(real).mean()
            d_fake = -D.logits(fake).mean()
            opt_D.zero_grad()
            (d_real + d_fake).backward()
            opt_D.step()
        # G minimises E D(G(z)).
        g_loss = D.logits(G(draw.noise())).mean()
    elif m.variant == 'dcgan':
        real = draw.real()
        fake = G(draw.noise())
        # D: BCE(D(x), 1) + BCE(D(G(z)), 0).
        d_real = bce(D.logits(real), 1)
        d_fake = bce(D.logits(fake.detach()), 0)
        opt_D.zero_grad()
        (d_real + d_fake).backward()
        opt_D.step()
        # G: BCE(D(G(z)), 1) on the same fake images, against the updated D.
        g_loss = bce(D.logits(fake), 1)
    else:  # wgan-gp
        for _ in range(critic_steps('wgan-gp', i)):
            real = draw.real()
            with torch.no_grad():
                fake = G(draw.noise())
            # L_D = E D(G(z)) - E D(x) + lambda E (||grad D(x_hat)|| - 1)^2.
            d_real = -D.logits(real).mean()
            d_fake = D.logits(fake).mean()
            alpha = draw.alpha()
            x_hat = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
            gp = twins.gradient_penalty(D.logits(x_hat), x_hat)
            opt_D.zero_grad()
            (d_real + d_fake + hyper['lambda_gp'] * gp).backward()
            opt_D.step()
        # L_G = -E D(G(z')).
        g_loss = -D.logits(G(draw.noise())).mean()
    opt_G.zero_grad()
    g_loss.backward()
    opt_G.step()
    return d_real, d_fake, g_loss


def main():
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    size = sizes(VARIANT)[0]
    x_all, _, _ = trained.load_faces(size)
    m = build(VARIANT)
    _, g_base, d_base = sizes(VARIANT)
    clock = trained.Clock()
    draw = SimpleNamespace(
        real=lambda: x_all[torch.randint(x_all.size(0), (BATCH,), generator=gen)],
        noise=lambda: torch.randn(BATCH, Z_DIM, generator=gen),
        alpha=lambda: torch.rand(BATCH, 1, 1, 1, generator=gen),
    )
    for i in range(ITERS):
        d_real, d_fake, g_loss = iteration(m, i, draw)
        if (i + 1) % EVERY == 0 or i + 1 == ITERS:
            print(
                f'{i + 1} D real {d_real.item():.3f} fake {d_fake.item():.3f} '
                f'G {g_loss.item():.3f} {clock.seconds()} s',
                flush=True,
            )
            trained.write_weights(
                VARIANT,
                [generator_network(VARIANT, m.G)],
                dict(variant=VARIANT, imageSize=size, zDim=Z_DIM, gBase=g_base, dBase=d_base, batchSize=BATCH),
                {'iterations': i + 1, 'seconds': clock.seconds(), 'seed': SEED},
            )


if __name__ == '__main__':
    main()
