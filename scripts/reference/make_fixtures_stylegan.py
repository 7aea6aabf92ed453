#!/usr/bin/python3
"""Parity fixture for src/models/parity/stylegan.test.ts (issue 16).

    /usr/bin/python3 scripts/reference/make_fixtures_stylegan.py

Builds the PyTorch twin (twin_stylegan.py) at a tiny config (16 px, width 4, latent 8, two
mapping layers, batch 4), moves every zero-initialised weight (noise weights, biases, the
tracked mean w) off zero and the constant off ones so they are tested, and writes src/models/parity/fixtures/stylegan.json:
the weights, the inputs (reals, z1, z2, crossover, noise maps), the forward outputs (w, mixed
images, D logits), then one reference iteration: a D step (softplus losses + R1, Adam (0, 0.99)
eps 1e-8), then a G step on the same draws with the w_avg update and G_ema's average. Then
four more iterations as the training loop runs them (fresh reals and draws for D and for G,
one of them without mixing), with each iteration's losses and the weights at the end: what
accumulates over steps (Adam's moments and bias corrections, w_avg, G_ema) is checked too.
Float64 throughout; seeded, so a rerun writes the same file.
"""
import copy
import math

import numpy as np
import torch

import make_fixtures as mf
from twin_stylegan import StyleGanTwin, layer_res

SIZE, LATENT, MAPPING, WIDTH, BATCH = 16, 8, 2, 4, 4
LR, BETAS, GAMMA, WAVG_BETA, EMA_KIMG, CROSSOVER = 1e-3, (0.0, 0.99), 10.0, 0.995, 10.0, 3


def nhwc(t):
    return t.permute(0, 2, 3, 1)


def as_np(store):
    return {k: v.detach().numpy().astype(np.float64) for k, v in store.items()}


def main():
    torch.manual_seed(16)
    twin = StyleGanTwin(SIZE, LATENT, MAPPING, WIDTH)
    with torch.no_grad():
        for store in (twin.G, twin.D):
            for k, v in store.items():
                if 'Noise/weight' in k or k.endswith('/b') or k.endswith('/bias') or 'dlatent' in k:
                    store[k] = torch.randn_like(v) * 0.3
        # The constant starts at ones; varied over H and W, its layer's bias and noise weight
        # get gradients well above float rounding (a per-channel constant meets instance norm).
        twin.G['G/4x4/Const/const'] += torch.randn_like(twin.G['G/4x4/Const/const'])
    n, L, layers = BATCH, LATENT, twin.layers
    real = torch.rand(n, 3, SIZE, SIZE, dtype=torch.float64) * 2 - 1
    z1 = torch.randn(n, L, dtype=torch.float64)
    z2 = torch.randn(n, L, dtype=torch.float64)
    noise = [torch.randn(n, 1, layer_res(i), layer_res(i), dtype=torch.float64)
             for i in range(layers)]
    Gs = {k.replace('G/', 'Gs/', 1): v.clone() for k, v in twin.G.items()}
    initial = {**as_np(twin.G), **as_np(twin.D), **as_np(Gs)}

    with torch.no_grad():
        ws, w_forward = twin.styles(z1, z2, CROSSOVER)
        images = twin.synthesis(ws, noise)
        logits = twin.discriminator(real)

    # D step
    d_params = list(twin.D.values())
    for p in d_params:
        p.requires_grad_(True)
    opt_d = torch.optim.Adam(d_params, lr=LR, betas=BETAS, eps=1e-8)
    with torch.no_grad():
        ws, w1 = twin.styles(z1, z2, CROSSOVER)
        fake = twin.synthesis(ws, noise)
    total, d_terms = twin.d_loss(real, fake, GAMMA)
    opt_d.zero_grad()
    total.backward()
    opt_d.step()
    twin.track_mean(w1, WAVG_BETA)
    for p in d_params:
        p.requires_grad_(False)
    after_d = {**as_np(twin.G), **as_np(twin.D), **as_np(Gs)}

    # G step on the same draws: w_avg from G before its step, then Adam, then G_ema.
    g_names = [k for k in twin.G if k != 'G/dlatent_avg']
    for k in g_names:
        twin.G[k].requires_grad_(True)
    opt_g = torch.optim.Adam([twin.G[k] for k in g_names], lr=LR, betas=BETAS, eps=1e-8)
    ws, w1 = twin.styles(z1, z2, CROSSOVER)
    g_total, g_terms = twin.g_loss(twin.synthesis(ws, noise))
    twin.track_mean(w1.detach(), WAVG_BETA)
    opt_g.zero_grad()
    g_total.backward()
    opt_g.step()
    beta = 0.5 ** (BATCH / (EMA_KIMG * 1000))
    with torch.no_grad():
        for k, v in twin.G.items():
            key = k.replace('G/', 'Gs/', 1)
            Gs[key] = v.clone() if 'dlatent' in k else Gs[key] * beta + v * (1 - beta)
    after_g = {**as_np(twin.G), **as_np(twin.D), **as_np(Gs)}

    # Iterations 2 to 5 of the loop, continuing both optimisers; crossovers fixed so that one
    # iteration does not mix (crossover = layers) and the others cross at different layers.
    def draws(crossover):
        return {'z1': torch.randn(n, L, dtype=torch.float64),
                'z2': torch.randn(n, L, dtype=torch.float64), 'crossover': crossover,
                'noise': [torch.randn(n, 1, layer_res(i), layer_res(i), dtype=torch.float64)
                          for i in range(layers)]}

    def encode(d):
        return {'z1': mf.enc(d['z1']), 'z2': mf.enc(d['z2']), 'crossover': d['crossover'],
                'noise': [mf.enc(nhwc(m)) for m in d['noise']]}

    for p in d_params:
        p.requires_grad_(True)
    trajectory = []
    for crossover_d, crossover_g in ((layers, 1), (2, layers - 1), (4, layers), (1, 3)):
        real_k = torch.rand(n, 3, SIZE, SIZE, dtype=torch.float64) * 2 - 1
        d_draws, g_draws = draws(crossover_d), draws(crossover_g)
        with torch.no_grad():
            ws, w1 = twin.styles(d_draws['z1'], d_draws['z2'], crossover_d)
            fake = twin.synthesis(ws, d_draws['noise'])
        total_k, d_terms_k = twin.d_loss(real_k, fake, GAMMA)
        opt_d.zero_grad()
        total_k.backward()
        opt_d.step()
        twin.track_mean(w1, WAVG_BETA)
        ws, w1 = twin.styles(g_draws['z1'], g_draws['z2'], crossover_g)
        g_total_k, _ = twin.g_loss(twin.synthesis(ws, g_draws['noise']))
        twin.track_mean(w1.detach(), WAVG_BETA)
        opt_g.zero_grad()
        g_total_k.backward()
        opt_g.step()
        with torch.no_grad():
            for k, v in twin.G.items():
                key = k.replace('G/', 'Gs/', 1)
                Gs[key] = v.clone() if 'dlatent' in k else Gs[key] * beta + v * (1 - beta)
        trajectory.append({'real': mf.enc(nhwc(real_k)), 'D': encode(d_draws),
                           'G': encode(g_draws),
                           'losses': [float(d_terms_k[0]), float(d_terms_k[1]), float(g_total_k)]})
    final = {**as_np(twin.G), **as_np(twin.D), **as_np(Gs)}

    fixture = {
        'config': {'imageSize': SIZE, 'latentDim': LATENT, 'mappingLayers': MAPPING,
                   'width': WIDTH, 'batchSize': BATCH, 'lr': LR, 'beta1': BETAS[0],
                   'beta2': BETAS[1], 'r1Gamma': GAMMA, 'wAvgBeta': WAVG_BETA,
                   'emaKimg': EMA_KIMG},
        'crossover': CROSSOVER,
        'weights': mf.enc_map(initial),
        'inputs': {
            'real': mf.enc(nhwc(real)),
            'z1': mf.enc(z1),
            'z2': mf.enc(z2),
            'noise': [mf.enc(nhwc(m)) for m in noise],
        },
        'forward': {'w': mf.enc(w_forward),
                    'images': mf.enc(nhwc(images)), 'D': mf.enc(logits)},
        'steps': {
            'D': mf.step_record(initial, initial, [float(t) for t in d_terms], after_d),
            'G': mf.step_record(initial, after_d, [float(t) for t in g_terms], after_g),
        },
        'trajectory': {'iterations': trajectory, 'final': mf.enc_map(final)},
    }
    mf.write('stylegan', fixture)
    mf.format_with_biome()


if __name__ == '__main__':
    main()
