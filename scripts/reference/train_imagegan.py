#!/usr/bin/python3
"""Trains the shipped image GANs (public/models/trained/<variant>-faces-32px.zip) with the
PyTorch twins of our networks (twins.py, proved equal by src/models/parity/imagegan.test.ts).

    npx vite-node scripts/trained/export-data.ts                          # toy faces
    VARIANT=dcgan /usr/bin/python3 scripts/reference/train_imagegan.py    # or wgan-gp
    npx vite-node scripts/trained/make-bundles.ts dcgan

The models are the family's defaults for each variant (IMAGE_GAN_DEFAULTS: 32 px toy faces,
z 100, widths 16, batch 64), trained as their references do:
  dcgan     pytorch/examples dcgan/main.py: init N(0, 0.02), BCE, D on real and on G(z), then G
            on the same fake images; Adam 2e-4 (0.5, 0.999).
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
from make_fixtures import dcgan_init, dcgan_prefixes

torch.set_num_threads(1)

VARIANT = os.environ.get('VARIANT', 'dcgan')
ITERS = int(os.environ.get('ITERS', 5000))
SEED = int(os.environ.get('SEED', 1))
EVERY = int(os.environ.get('EVERY', 500))
SIZE, Z_DIM, G_BASE, D_BASE, BATCH = 32, 100, 16, 16, 64
HYPER = {
    'dcgan': dict(lr=2e-4, betas=(0.5, 0.999), n_critic=1),
    'wgan-gp': dict(lr=1e-4, betas=(0.5, 0.9), n_critic=5, lambda_gp=10.0),
}[VARIANT]


def main():
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    x_all, _, _ = trained.load_faces(SIZE)
    G = twins.DcganGenerator(Z_DIM, G_BASE, SIZE)
    batch_norm = VARIANT == 'dcgan'
    D = twins.DcganDiscriminator(D_BASE, SIZE, batch_norm=batch_norm)
    G.apply(dcgan_init)
    D.apply(dcgan_init)
    opt_G = torch.optim.Adam(G.parameters(), HYPER['lr'], HYPER['betas'], eps=1e-8)
    opt_D = torch.optim.Adam(D.parameters(), HYPER['lr'], HYPER['betas'], eps=1e-8)
    clock = trained.Clock()

    def real_batch():
        return x_all[torch.randint(x_all.size(0), (BATCH,), generator=gen)]

    def noise():
        return torch.randn(BATCH, Z_DIM, generator=gen)

    for i in range(ITERS):
        if VARIANT == 'dcgan':
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
        else:
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
                [trained.Network('G', G, dcgan_prefixes(SIZE, 'G'))],
                dict(variant=VARIANT, imageSize=SIZE, zDim=Z_DIM, gBase=G_BASE, dBase=D_BASE, batchSize=BATCH),
                {'iterations': i + 1, 'seconds': clock.seconds(), 'seed': SEED},
            )


if __name__ == '__main__':
    main()
