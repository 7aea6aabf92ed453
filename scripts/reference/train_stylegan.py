#!/usr/bin/python3
"""Trains StyleGAN-lite's twin (twin_stylegan.py, proved equal to our model by
src/models/parity/stylegan.test.ts) at the family's defaults on the dumped toy faces, for a
shipped generator (public/models/trained/stylegan-faces-32px.zip).

    npx vite-node scripts/trained/export-data.ts            # toy faces at 32 px, once
    ITERS=3000 /usr/bin/python3 scripts/reference/train_stylegan.py
    npx vite-node scripts/trained/make-bundles.ts stylegan

As our loop (src/families/stylegan/experiment.ts) and the reference: per iteration one D step
(softplus losses, R1 gamma 10 on reals) and one G step, each on fresh latents, a fresh mixing
decision (probability 0.9, crossover uniform in [1, layers)) and fresh noise; Adam 1e-3 (0,
0.99) eps 1e-8; w_avg (beta 0.995) from each pass's f(z1); G_ema with half-life 0.5 kimg.
Departure from our loop: the faces are the 20,000 dumped ones (the app draws 2,000). Seeded:
torch.manual_seed(SEED), one thread. Writes both G_ema (Gs/...) and G (G/...): stylegan.weights.*
at the end, stylegan-<iteration>.weights.* at 0 and every SAVE_EVERY iterations (for
scripts/stylegan-learning.ts RUNS=...).
"""
import json
import os
import random

import numpy as np
import torch

import trained
from twin_stylegan import StyleGanTwin, layer_res

torch.set_num_threads(1)
ITERS = int(os.environ.get('ITERS', 3000))
SEED = int(os.environ.get('SEED', 1))
SAVE_EVERY = int(os.environ.get('SAVE_EVERY', 500))
# The family's defaults; SIZE etc. (and LR, GAMMA) override them (e.g. the quick settings, for
# comparing this twin's learning with our TF.js loop's in scripts/stylegan-learning.ts on the
# same config, over seeds and settings).
SIZE = int(os.environ.get('SIZE', 32))
LATENT = int(os.environ.get('LATENT', 64))
MAPPING = int(os.environ.get('MAPPING', 8))
WIDTH = int(os.environ.get('WIDTH', 32))
BATCH = int(os.environ.get('BATCH', 16))
NAME = os.environ.get('NAME', 'stylegan')
LR, BETAS, WAVG_BETA, EMA_KIMG, MIXING = float(os.environ.get('LR', 1e-3)), (0.0, 0.99), 0.995, 0.5, 0.9
GAMMA = float(os.environ.get('GAMMA', 10.0))


def save(name, twin, Gs, iterations, clock):
    state = {k.replace('G/', 'Gs/', 1): v.detach().numpy() for k, v in Gs.items()}
    state.update({k: v.detach().numpy() for k, v in twin.G.items()})
    specs = [{'name': k, 'shape': list(v.shape)} for k, v in state.items()]
    blob = b''.join(np.ascontiguousarray(v, dtype='<f4').tobytes() for v in state.values())
    with open(os.path.join(trained.DATA_DIR, f'{name}.weights.bin'), 'wb') as f:
        f.write(blob)
    config = {'imageSize': SIZE, 'latentDim': LATENT, 'mappingLayers': MAPPING, 'width': WIDTH,
              'batchSize': BATCH, 'lr': LR, 'r1Gamma': GAMMA}
    with open(os.path.join(trained.DATA_DIR, f'{name}.weights.json'), 'w') as f:
        json.dump({'weights': specs, 'config': config,
                   'training': {'iterations': iterations, 'seconds': clock.seconds()}}, f, indent=1)
    print(f'wrote {name}.weights.* ({len(blob) / 1e6:.2f} MB)', flush=True)


def main():
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    x_all, _, _ = trained.load_faces(SIZE)
    twin = StyleGanTwin(SIZE, LATENT, MAPPING, WIDTH, dtype=torch.float32)
    layers = twin.layers
    g_names = [k for k in twin.G if k != 'G/dlatent_avg']
    for k in g_names:
        twin.G[k].requires_grad_(True)
    for v in twin.D.values():
        v.requires_grad_(True)
    opt_g = torch.optim.Adam([twin.G[k] for k in g_names], lr=LR, betas=BETAS, eps=1e-8)
    opt_d = torch.optim.Adam(list(twin.D.values()), lr=LR, betas=BETAS, eps=1e-8)
    Gs = {k: v.detach().clone() for k, v in twin.G.items()}
    beta = 0.5 ** (BATCH / (EMA_KIMG * 1000))
    clock = trained.Clock()

    def draws():
        z1, z2 = torch.randn(BATCH, LATENT), torch.randn(BATCH, LATENT)
        crossover = rng.randrange(1, layers) if rng.random() < MIXING else layers
        noise = [torch.randn(BATCH, 1, layer_res(i), layer_res(i)) for i in range(layers)]
        return z1, z2, crossover, noise

    save(f'{NAME}-0', twin, Gs, 0, clock)
    for it in range(1, ITERS + 1):
        real = x_all[torch.randint(0, x_all.shape[0], (BATCH,))]
        z1, z2, c, noise = draws()
        with torch.no_grad():
            ws, w1 = twin.styles(z1, z2, c)
            fake = twin.synthesis(ws, noise)
        total, d_terms = twin.d_loss(real, fake, GAMMA)
        opt_d.zero_grad()
        total.backward()
        opt_d.step()
        twin.track_mean(w1, WAVG_BETA)
        z1, z2, c, noise = draws()
        ws, w1 = twin.styles(z1, z2, c)
        g_total, _ = twin.g_loss(twin.synthesis(ws, noise))
        twin.track_mean(w1.detach(), WAVG_BETA)
        opt_g.zero_grad()
        g_total.backward()
        opt_g.step()
        with torch.no_grad():
            for k, v in twin.G.items():
                Gs[k] = v.detach().clone() if 'dlatent' in k else Gs[k] * beta + v.detach() * (1 - beta)
        if it % int(os.environ.get('LOG_EVERY', 250)) == 0:
            print(f'{it} D {float(d_terms[0]):.3f} R1 {float(d_terms[1]):.4f} '
                  f'G {float(g_total):.3f} ({clock.seconds()} s)', flush=True)
        if it % SAVE_EVERY == 0:
            save(f'{NAME}-{it}', twin, Gs, it, clock)
    save(NAME, twin, Gs, ITERS, clock)



if __name__ == '__main__':
    main()
