#!/usr/bin/python3
"""Trains the StarGAN v2 twin (twin_starganv2.py) on the toy animals exactly as the reference's
Solver.train loop does: per iteration D latent, D reference, G latent (G, F, E), G reference (G),
the EMA of G, F, E, and lambda_ds decaying linearly to 0 over the run. Writes the EMA networks
under our names every EVERY iterations, for scripts/starganv2-learning.ts to measure with the
app's own quality figures.

    SEED=1 SIZE=16 PER_DOMAIN=300 npx vite-node scripts/reference/starganv2_data.ts /tmp/a.bin
    ITERS=3000 EVERY=500 LAMBDA_DS=1 OUT=/tmp/v2-ds1 /usr/bin/python3 scripts/reference/train_starganv2.py /tmp/a.bin

The shipped model (public/models/trained/starganv2-animals-16px.zip) is this run's last
checkpoint with OUT=/tmp/gan-trained/starganv2, converted by
`npx vite-node scripts/trained/make-bundles.ts starganv2`.

Widths are the family's QUICK_V2 preset; the sampler is the reference's (domain-balanced
sources, a random target domain and two references of it, two latents, random flips); the
random resized crop is left out, as in the app.
"""

import copy
import json
import os
import sys
import time
from types import SimpleNamespace

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
import make_fixtures as mf  # noqa: E402  (float64 default dtype: reset below)
import twin_starganv2 as v2  # noqa: E402
from make_fixtures_starganv2 import ours  # noqa: E402

torch.set_default_dtype(torch.float32)
env = lambda k, d: type(d)(os.environ.get(k, d))  # noqa: E731
ITERS, EVERY, SEED = env('ITERS', 3000), env('EVERY', 500), env('SEED', 1)
SIZE, DIM, MAX_DIM, REPEAT, STYLE, LATENT, HIDDEN, BATCH = 16, 8, 32, 1, 8, 16, 32, 8
LR, F_LR = env('LR', 1e-4), env('F_LR', 1e-6)
args = SimpleNamespace(lambda_reg=1.0, lambda_sty=1.0, lambda_ds=env('LAMBDA_DS', 1.0), lambda_cyc=1.0)
OUT = env('OUT', '/tmp/starganv2-run')

torch.manual_seed(SEED)
rng = np.random.default_rng(SEED)
torch.set_num_threads(1)
raw = open(sys.argv[1], 'rb').read()
n = len(raw) // (SIZE * SIZE * 3 * 4 + 1)
images = torch.tensor(np.frombuffer(raw[: n * SIZE * SIZE * 12], dtype='<f4').reshape(n, SIZE, SIZE, 3)).permute(0, 3, 1, 2).contiguous()
domains = np.frombuffer(raw[n * SIZE * SIZE * 12:], dtype=np.uint8)
by_domain = [np.flatnonzero(domains == d) for d in range(3)]

nets = {
    'generator': v2.Generator(DIM, STYLE, MAX_DIM, REPEAT),
    'mapping_network': v2.MappingNetwork(LATENT, STYLE, 3, HIDDEN),
    'style_encoder': v2.StyleEncoder(SIZE, DIM, STYLE, 3, MAX_DIM),
    'discriminator': v2.Discriminator(SIZE, DIM, 3, MAX_DIM),
}
for net in nets.values():
    net.apply(v2.he_init)
ema = {k: copy.deepcopy(nets[k]) for k in ['generator', 'mapping_network', 'style_encoder']}
ns = SimpleNamespace(**nets)
optims = {k: torch.optim.Adam(net.parameters(), lr=F_LR if k == 'mapping_network' else LR,
                              betas=[0.0, 0.99], weight_decay=1e-4) for k, net in nets.items()}


def take(ys):
    idx = [by_domain[y][rng.integers(len(by_domain[y]))] for y in ys]
    x = images[idx].clone()
    flip = torch.tensor(rng.random(len(ys)) < 0.5)
    x[flip] = x[flip].flip(3)
    return x


def save(step):
    out = {}
    for key, scope in [('generator', 'G_ema'), ('mapping_network', 'F_ema'), ('style_encoder', 'E_ema')]:
        out.update(ours(scope, ema[key].double()))
        ema[key].float()
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, f'{step:06d}.json'), 'w') as f:
        json.dump({'step': step, 'lambdaDs': float(os.environ.get('LAMBDA_DS', 1.0)), 'weights': mf.enc_map(out)}, f)


initial_lambda_ds = args.lambda_ds
started = time.time()
save(0)
for i in range(ITERS):
    y_org = torch.tensor(rng.integers(3, size=BATCH))
    y_trg = torch.tensor(rng.integers(3, size=BATCH))
    x_real, x_ref, x_ref2 = take(y_org.tolist()), take(y_trg.tolist()), take(y_trg.tolist())
    z_trg, z_trg2 = torch.randn(BATCH, LATENT), torch.randn(BATCH, LATENT)
    for kind in ['latent', 'ref']:
        kw = {'z_trg': z_trg} if kind == 'latent' else {'x_ref': x_ref}
        loss, d_terms = v2.compute_d_loss(ns, args, x_real, y_org, y_trg, **kw)
        for o in optims.values():
            o.zero_grad()
        loss.backward()
        optims['discriminator'].step()
    for kind, stepped in [('latent', ['generator', 'mapping_network', 'style_encoder']), ('ref', ['generator'])]:
        kw = {'z_trgs': [z_trg, z_trg2]} if kind == 'latent' else {'x_refs': [x_ref, x_ref2]}
        loss, g_terms = v2.compute_g_loss(ns, args, x_real, y_org, y_trg, **kw)
        for o in optims.values():
            o.zero_grad()
        loss.backward()
        for k in stepped:
            optims[k].step()
    for k in ema:
        v2.moving_average(nets[k], ema[k], beta=0.999)
    if args.lambda_ds > 0:
        args.lambda_ds -= initial_lambda_ds / ITERS
    if (i + 1) % EVERY == 0:
        save(i + 1)
        print(f'{i + 1} {time.time() - started:.0f}s D {d_terms} G {g_terms}', flush=True)
