#!/usr/bin/python3
"""Trains the shipped StarGAN v1 (public/models/trained/stargan-celeba-32px.zip) with the
PyTorch twin of our networks (twins.py, proved equal by src/models/parity/stargan.test.ts).

    npx vite-node scripts/trained/export-data.ts        # the toy faces, to /tmp/gan-trained
    /usr/bin/python3 scripts/reference/train_stargan.py  # -> /tmp/gan-trained/stargan.weights.*
    npx vite-node scripts/trained/make-bundles.ts stargan

The model is the family's default config (STARGAN_DEFAULTS: 32 px, CelebA-style attributes,
conv_dim 16, 3 residual blocks, D 16 channels and 4 down-samplings). The loop is yunjey/stargan
solver.py's train(), as the parity fixture runs it: WGAN-GP adversarial loss, BCE domain
classification, L1 reconstruction (weights 1, 10, 10), 5 D updates per G update with G trained
when (i + 1) % n_critic == 0, Adam 1e-4 (0.5, 0.999), batch 16, random horizontal flips,
targets by shuffling the batch's labels, learning rates decaying linearly to 0 over the second
half of the run.

Departures from our TS training loop (src/families/stargan/experiment.ts): it trains on 20,000
faces dumped from their own seeded stream (the app's default draws 2,000), for ITERS
iterations (default 12,000, not the config's 20,000, so the decay starts at 6,000); our loop
trains G on iterations 1, 6, 11, ... and decays over the config's numIters. Seeded:
torch.manual_seed(SEED), one thread.
"""

import os

import torch
import torch.nn.functional as F

import trained
import twins
from make_fixtures import stargan_prefixes

torch.set_num_threads(1)

ITERS = int(os.environ.get('ITERS', 12_000))
SEED = int(os.environ.get('SEED', 1))
EVERY = int(os.environ.get('EVERY', 1000))
NAME = os.environ.get('NAME', 'stargan')  # the weights file: /tmp/gan-trained/<NAME>.weights.*
# G_CONV_DIM widens G (16 is the family default the shipped model uses).
G_CONV_DIM = int(os.environ.get('G_CONV_DIM', 16))
CONFIG = dict(imageSize=32, gConvDim=G_CONV_DIM, gRepeat=3, dConvDim=16, dRepeat=4, batchSize=16)
# D updates per G update: 5 in the reference and in the shipped model (make-bundles.ts checks).
N_CRITIC = int(os.environ.get('N_CRITIC', 5))
# lambda_rec: 10 in the reference; LAMBDA_REC changes it (the bundle's config records it).
LAMBDA_REC = float(os.environ.get('LAMBDA_REC', 10.0))
LAMBDA_CLS, LAMBDA_GP, LR = 1.0, 10.0, 1e-4
CONFIG.update(nCritic=N_CRITIC, lambdaRec=LAMBDA_REC)


def main():
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    x_all, labels_all, _ = trained.load_faces(CONFIG['imageSize'])
    # The last 256 faces are held out for the preservation check printed here.
    x_train, l_train = x_all[:-256], labels_all[:-256]
    x_test, l_test = x_all[-256:], labels_all[-256:]
    c_dim = labels_all.size(1)
    G = twins.StarGenerator(CONFIG['gConvDim'], c_dim, CONFIG['gRepeat'])
    D = twins.StarDiscriminator(CONFIG['imageSize'], CONFIG['dConvDim'], c_dim, CONFIG['dRepeat'])
    opt_G = torch.optim.Adam(G.parameters(), LR, [0.5, 0.999])
    opt_D = torch.optim.Adam(D.parameters(), LR, [0.5, 0.999])
    n = CONFIG['batchSize']
    clock = trained.Clock()

    def save(iteration):
        trained.write_weights(
            NAME,
            [trained.Network('G', G, stargan_prefixes('G', CONFIG['gRepeat']))],
            CONFIG,
            {'iterations': iteration, 'seconds': clock.seconds(), 'seed': SEED, 'nCritic': N_CRITIC},
        )

    for i in range(ITERS):
        # Linear decay to 0 over the second half (the family's schedule).
        lr = LR * min(1.0, 2.0 * (ITERS - i) / ITERS)
        for opt in (opt_G, opt_D):
            for group in opt.param_groups:
                group['lr'] = lr
        idx = torch.randint(x_train.size(0), (n,), generator=gen)
        x_real = trained.random_flip(x_train[idx], gen)
        label_org = l_train[idx]
        label_trg = label_org[torch.randperm(n, generator=gen)]
        c_org, c_trg = label_org, label_trg

        # D: -E D_src(x) + E D_src(G(x, c')) + lambda_cls L_cls(x, c) + lambda_gp GP.
        out_src, out_cls = D(x_real)
        d_loss_real = -torch.mean(out_src)
        d_loss_cls = twins.stargan_classification_loss(out_cls, label_org, 'CelebA')
        x_fake = G(x_real, c_trg)
        out_src, _ = D(x_fake.detach())
        d_loss_fake = torch.mean(out_src)
        alpha = torch.rand(n, 1, 1, 1, generator=gen)
        x_hat = (alpha * x_real + (1 - alpha) * x_fake.detach()).requires_grad_(True)
        out_src, _ = D(x_hat)
        d_loss_gp = twins.gradient_penalty(out_src, x_hat)
        d_loss = d_loss_real + d_loss_fake + LAMBDA_CLS * d_loss_cls + LAMBDA_GP * d_loss_gp
        opt_D.zero_grad()
        d_loss.backward()
        opt_D.step()

        if (i + 1) % N_CRITIC == 0:
            # G: -E D_src(G(x, c')) + lambda_cls L_cls(G(x, c'), c') + lambda_rec |x - G(G(x, c'), c)|.
            x_fake = G(x_real, c_trg)
            out_src, out_cls = D(x_fake)
            g_loss_fake = -torch.mean(out_src)
            g_loss_cls = twins.stargan_classification_loss(out_cls, label_trg, 'CelebA')
            g_loss_rec = torch.mean(torch.abs(x_real - G(x_fake, c_org)))
            g_loss = g_loss_fake + LAMBDA_REC * g_loss_rec + LAMBDA_CLS * g_loss_cls
            opt_G.zero_grad()
            g_loss.backward()
            opt_G.step()

        if (i + 1) % EVERY == 0 or i + 1 == ITERS:
            with torch.no_grad():
                kept = torch.mean(torch.abs(G(x_test[:64], l_test[:64]) - x_test[:64])).item()
            print(
                f'{i + 1} D {d_loss.item():.3f} cls {d_loss_cls.item():.3f} '
                f'G rec {g_loss_rec.item():.3f} cls {g_loss_cls.item():.3f} '
                f'preservation L1 {kept:.3f} lr {lr:.2e} {clock.seconds()} s',
                flush=True,
            )
            save(i + 1)


if __name__ == '__main__':
    main()
