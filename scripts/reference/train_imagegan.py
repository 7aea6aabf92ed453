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
torch.manual_seed(SEED), one thread. ITERS counts G updates.
"""

import os

import torch
import torch.nn as nn
import torch.nn.functional as F

import trained
import twins
from make_fixtures import dcgan_init, dcgan_prefixes, gan_generator_network

torch.set_num_threads(1)

VARIANT = os.environ.get('VARIANT', 'dcgan')
ITERS = int(os.environ.get('ITERS', 5000))
SEED = int(os.environ.get('SEED', 1))
EVERY = int(os.environ.get('EVERY', 500))
SIZE, Z_DIM, G_BASE, D_BASE, BATCH = 32, 100, 16, 16, 64
if VARIANT == 'gan':
    SIZE, G_BASE, D_BASE = 16, 32, 32
HYPER = {
    'gan': dict(lr=2e-4, betas=(0.5, 0.999), n_critic=1),
    'dcgan': dict(lr=2e-4, betas=(0.5, 0.999), n_critic=1),
    'wgan': dict(lr=5e-5, n_critic=5, clip=0.01),
    'wgan-gp': dict(lr=1e-4, betas=(0.5, 0.9), n_critic=5, lambda_gp=10.0),
}[VARIANT]


def generator_network(G):
    """G under our names (make_fixtures.py's maps, proved by the parity tests)."""
    if VARIANT == 'gan':
        return gan_generator_network(G, SIZE)
    return trained.Network('G', G, dcgan_prefixes(SIZE, 'G'))


def main():
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    x_all, _, _ = trained.load_faces(SIZE)
    if VARIANT == 'gan':
        shape = (3, SIZE, SIZE)
        g, d = G_BASE, D_BASE
        G = twins.MlpGenerator(Z_DIM, [2 * g, 4 * g, 8 * g, 16 * g], shape)
        D = twins.MlpDiscriminator([8 * d, 4 * d], shape)
    else:
        G = twins.DcganGenerator(Z_DIM, G_BASE, SIZE)
        D = twins.DcganDiscriminator(D_BASE, SIZE, batch_norm=VARIANT != 'wgan-gp')
        G.apply(dcgan_init)
        D.apply(dcgan_init)
    if VARIANT == 'wgan':
        opt_G = torch.optim.RMSprop(G.parameters(), HYPER['lr'])
        opt_D = torch.optim.RMSprop(D.parameters(), HYPER['lr'])
    else:
        opt_G = torch.optim.Adam(G.parameters(), HYPER['lr'], HYPER['betas'], eps=1e-8)
        opt_D = torch.optim.Adam(D.parameters(), HYPER['lr'], HYPER['betas'], eps=1e-8)
    clock = trained.Clock()

    def real_batch():
        return x_all[torch.randint(x_all.size(0), (BATCH,), generator=gen)]

    def noise():
        return torch.randn(BATCH, Z_DIM, generator=gen)

    for i in range(ITERS):
        if VARIANT == 'gan':
            # G: BCE(D(G(z)), 1).
            fake = G(noise())
            g_loss = F.binary_cross_entropy_with_logits(D.logits(fake), torch.ones(BATCH, 1))
            opt_G.zero_grad()
            g_loss.backward()
            opt_G.step()
            # D: (BCE(D(x), 1) + BCE(D(G(z)), 0)) / 2, on the images G made before its step.
            real = real_batch()
            d_real = F.binary_cross_entropy_with_logits(D.logits(real), torch.ones(BATCH, 1))
            d_fake = F.binary_cross_entropy_with_logits(D.logits(fake.detach()), torch.zeros(BATCH, 1))
            opt_D.zero_grad()
            ((d_real + d_fake) / 2).backward()
            opt_D.step()
        elif VARIANT == 'wgan':
            critic_steps = 100 if i < 25 or i % 500 == 0 else HYPER['n_critic']
            for _ in range(critic_steps):
                for p in D.parameters():
                    p.data.clamp_(-HYPER['clip'], HYPER['clip'])
                real = real_batch()
                with torch.no_grad():
                    fake = G(noise())
                # The critic minimises E D(x) - E D(G(z)) (the reference's backward(one/mone)).
                d_real = D.logits(real).mean()
                d_fake = -D.logits(fake).mean()
                opt_D.zero_grad()
                (d_real + d_fake).backward()
                opt_D.step()
            # G minimises E D(G(z)).
            g_loss = D.logits(G(noise())).mean()
            opt_G.zero_grad()
            g_loss.backward()
            opt_G.step()
        elif VARIANT == 'dcgan':
            real = real_batch()
            fake = G(noise())
            # D: BCE(D(x), 1) + BCE(D(G(z)), 0).
            d_real = F.binary_cross_entropy_with_logits(D.logits(real), torch.ones(BATCH))
            d_fake = F.binary_cross_entropy_with_logits(D.logits(fake.detach()), torch.zeros(BATCH))
            opt_D.zero_grad()
            (d_real + d_fake).backward()
            opt_D.step()
            # G: BCE(D(G(z)), 1) on the same fake images, against the updated D.
            g_loss = F.binary_cross_entropy_with_logits(D.logits(fake), torch.ones(BATCH))
        else:  # wgan-gp
            for _ in range(HYPER['n_critic']):
                real = real_batch()
                with torch.no_grad():
                    fake = G(noise())
                # L_D = E D(G(z)) - E D(x) + lambda E (||grad D(x_hat)|| - 1)^2.
                d_real = -D.logits(real).mean()
                d_fake = D.logits(fake).mean()
                alpha = torch.rand(BATCH, 1, 1, 1, generator=gen)
                x_hat = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
                gp = twins.gradient_penalty(D.logits(x_hat), x_hat)
                opt_D.zero_grad()
                (d_real + d_fake + HYPER['lambda_gp'] * gp).backward()
                opt_D.step()
            # L_G = -E D(G(z')).
            g_loss = -D.logits(G(noise())).mean()
        if VARIANT in ('dcgan', 'wgan-gp'):
            opt_G.zero_grad()
            g_loss.backward()
            opt_G.step()

        if (i + 1) % EVERY == 0 or i + 1 == ITERS:
            print(
                f'{i + 1} D real {d_real.item():.3f} fake {d_fake.item():.3f} '
                f'G {g_loss.item():.3f} {clock.seconds()} s',
                flush=True,
            )
            trained.write_weights(
                VARIANT,
                [generator_network(G)],
                dict(variant=VARIANT, imageSize=SIZE, zDim=Z_DIM, gBase=G_BASE, dBase=D_BASE, batchSize=BATCH),
                {'iterations': i + 1, 'seconds': clock.seconds(), 'seed': SEED},
            )


if __name__ == '__main__':
    main()
