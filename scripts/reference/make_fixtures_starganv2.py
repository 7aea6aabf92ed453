#!/usr/bin/python3
"""Parity fixture for src/models/parity/starganv2.test.ts (issue 14).

    /usr/bin/python3 scripts/reference/make_fixtures_starganv2.py

Builds the PyTorch twin (twin_starganv2.py) at the tiny config the test uses, He-initialised
as the reference's he_init (instance norms' affine weights moved off 1 and 0 so they are
tested), and writes src/models/parity/fixtures/starganv2.json with every weight under our
names and layouts, the forward outputs of G, F, E and D, and one full reference iteration:
D latent, D reference, G latent (G, F, E stepped), G reference (G stepped), then the EMA.
Adam is torch.optim.Adam with betas (0, 0.99) and weight_decay 1e-4, as solver.py builds it;
the learning rates are raised (lr 1e-3, f_lr 1e-4) so a step is far above float32 rounding.
Then four more iterations as the training loop runs them, continuing the same optimisers and
EMA copies: fresh sources, references, latents and domains each time (both branches, targets
equal to and different from the sources, every domain a target), and lambda_ds decayed by the
reference's schedule with ds_iter 4 (0.5625, 0.375, 0.1875, 0); each iteration's losses and,
at the end, every network and EMA copy, so Adam's moments and bias corrections at t > 1, the
weight decay and the EMA's accumulation are checked too.
Float64 throughout; seeded, so a rerun writes the same file.
"""

from collections import OrderedDict
from types import SimpleNamespace

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import make_fixtures as mf
import twin_starganv2 as v2

SCOPES = OrderedDict(generator='G', mapping_network='F', style_encoder='E', discriminator='D')


def ours(scope, net):
    """Every parameter under our name ('G/encode.0.conv1/W') in TF.js's layout."""
    out = OrderedDict()
    for path, module in net.named_modules():
        for attr, tensor in module.named_parameters(recurse=False):
            if isinstance(module, nn.InstanceNorm2d):
                suffix = {'weight': 'gamma', 'bias': 'beta'}[attr]
            else:
                suffix = {'weight': 'W', 'bias': 'b'}[attr]
            t = tensor.detach()
            if attr == 'weight' and isinstance(module, nn.Conv2d):
                t = t.permute(2, 3, 1, 0)
            elif attr == 'weight' and isinstance(module, nn.Linear):
                t = t.t()
            out[f'{scope}/{path}/{suffix}'] = t.contiguous().numpy().astype(np.float64)
    return out


def state(nets, ema=None):
    out = OrderedDict()
    for key, scope in SCOPES.items():
        out.update(ours(scope, nets[key]))
    if ema is not None:
        for key, scope in list(SCOPES.items())[:3]:
            out.update(ours(f'{scope}_ema', ema[key]))
    return out


def main():
    torch.manual_seed(14)
    size, dim, max_dim, repeat, style, latent, hidden, domains, n = 16, 4, 8, 1, 4, 4, 8, 3, 2
    args = SimpleNamespace(lambda_reg=1.0, lambda_sty=1.0, lambda_ds=0.75, lambda_cyc=1.0)
    lr, f_lr, wd = 1e-3, 1e-4, 1e-4
    nets = {
        'generator': v2.Generator(dim, style, max_dim, repeat),
        'mapping_network': v2.MappingNetwork(latent, style, domains, hidden),
        'style_encoder': v2.StyleEncoder(size, dim, style, domains, max_dim),
        'discriminator': v2.Discriminator(size, dim, domains, max_dim),
    }
    for net in nets.values():
        net.apply(v2.he_init)
        with torch.no_grad():
            for m in net.modules():
                if isinstance(m, nn.InstanceNorm2d) and m.affine:
                    m.weight.normal_(1.0, 0.1)
                    m.bias.normal_(0.0, 0.1)
    # Our EMA copies start equal to the trained networks (see the model's header).
    import copy
    ema = {k: copy.deepcopy(nets[k]) for k in ['generator', 'mapping_network', 'style_encoder']}
    nets_ns = SimpleNamespace(**nets)

    x_real = torch.rand(n, 3, size, size) * 2 - 1
    x_ref = torch.rand(n, 3, size, size) * 2 - 1
    x_ref2 = torch.rand(n, 3, size, size) * 2 - 1
    y_org = torch.tensor([0, 2])
    y_trg = torch.tensor([1, 2])
    z_trg = torch.randn(n, latent)
    z_trg2 = torch.randn(n, latent)

    s0 = state(nets)
    s0_ema = state(nets, ema)
    with torch.no_grad():
        s_lat = nets['mapping_network'](z_trg, y_trg)
        s_ref = nets['style_encoder'](x_ref, y_trg)
        fwd = {
            'F': mf.enc(s_lat),
            'E': mf.enc(s_ref),
            'G': mf.enc(mf.nchw_to_nhwc(nets['generator'](x_real, s_lat))),
            'D': mf.enc(nets['discriminator'](x_real, y_org)),
        }

    optims = {
        k: torch.optim.Adam(net.parameters(), lr=f_lr if k == 'mapping_network' else lr,
                            betas=[0.0, 0.99], weight_decay=wd)
        for k, net in nets.items()
    }

    def reset():
        for o in optims.values():
            o.zero_grad()

    records = OrderedDict()
    before = s0
    steps = [
        ('D_latent', lambda: v2.compute_d_loss(nets_ns, args, x_real, y_org, y_trg, z_trg=z_trg), ['discriminator']),
        ('D_ref', lambda: v2.compute_d_loss(nets_ns, args, x_real, y_org, y_trg, x_ref=x_ref), ['discriminator']),
        ('G_latent', lambda: v2.compute_g_loss(nets_ns, args, x_real, y_org, y_trg, z_trgs=[z_trg, z_trg2]),
         ['generator', 'mapping_network', 'style_encoder']),
        ('G_ref', lambda: v2.compute_g_loss(nets_ns, args, x_real, y_org, y_trg, x_refs=[x_ref, x_ref2]),
         ['generator']),
    ]
    for name, loss_fn, stepped in steps:
        loss, terms = loss_fn()
        reset()
        loss.backward()
        for k in stepped:
            optims[k].step()
        after = state(nets)
        records[name] = mf.step_record(s0, before, terms, after)
        before = after
    ema_before = state(nets, ema)
    for k in ema:
        v2.moving_average(nets[k], ema[k], beta=0.999)
    ema_after = state(nets, ema)
    records['ema'] = mf.step_record(s0_ema, ema_before, [], ema_after)

    # Iterations 1 to 4. Domains fixed so that every domain is a target and targets both equal
    # and differ from their sources; lambda_ds decays as solver.train does it, on a copy of
    # args because the record above is written from args.lambda_ds.
    ds_iter = 4
    traj_args = SimpleNamespace(**vars(args))
    trajectory = []
    for org, trg in (([1, 2], [0, 0]), ([2, 0], [2, 1]), ([0, 1], [1, 1]), ([1, 1], [2, 0])):
        if traj_args.lambda_ds > 0:
            traj_args.lambda_ds -= args.lambda_ds / ds_iter
        xr = torch.rand(n, 3, size, size) * 2 - 1
        xf, xf2 = torch.rand(n, 3, size, size) * 2 - 1, torch.rand(n, 3, size, size) * 2 - 1
        yo, yt = torch.tensor(org), torch.tensor(trg)
        z1, z2 = torch.randn(n, latent), torch.randn(n, latent)
        inputs_k = {
            'xReal': mf.enc(mf.nchw_to_nhwc(xr)),
            'xRef': mf.enc(mf.nchw_to_nhwc(xf)),
            'xRef2': mf.enc(mf.nchw_to_nhwc(xf2)),
            'yOrg': mf.enc(F.one_hot(yo, domains)),
            'yTrg': mf.enc(F.one_hot(yt, domains)),
            'zTrg': mf.enc(z1),
            'zTrg2': mf.enc(z2),
        }
        losses_k = []
        for loss_fn, stepped in (
            (lambda: v2.compute_d_loss(nets_ns, traj_args, xr, yo, yt, z_trg=z1), ['discriminator']),
            (lambda: v2.compute_d_loss(nets_ns, traj_args, xr, yo, yt, x_ref=xf), ['discriminator']),
            (lambda: v2.compute_g_loss(nets_ns, traj_args, xr, yo, yt, z_trgs=[z1, z2]),
             ['generator', 'mapping_network', 'style_encoder']),
            (lambda: v2.compute_g_loss(nets_ns, traj_args, xr, yo, yt, x_refs=[xf, xf2]), ['generator']),
        ):
            loss, terms = loss_fn()
            reset()
            loss.backward()
            for k in stepped:
                optims[k].step()
            losses_k += terms
        for k in ema:
            v2.moving_average(nets[k], ema[k], beta=0.999)
        trajectory.append({'inputs': inputs_k, 'lambdaDs': traj_args.lambda_ds, 'losses': losses_k})
    final = state(nets, ema)

    mf.write('starganv2', {
        'family': 'starganv2',
        'config': {
            'imageSize': size, 'convDim': dim, 'maxConvDim': max_dim, 'repeatNum': repeat,
            'styleDim': style, 'latentDim': latent, 'hiddenDim': hidden, 'batchSize': n,
            'lr': lr, 'fLr': f_lr, 'weightDecay': wd, 'emaBeta': 0.999,
        },
        'numDomains': domains,
        'lambdaDs': args.lambda_ds,
        'weights': mf.enc_map(s0),
        'inputs': {
            'xReal': mf.enc(mf.nchw_to_nhwc(x_real)),
            'xRef': mf.enc(mf.nchw_to_nhwc(x_ref)),
            'xRef2': mf.enc(mf.nchw_to_nhwc(x_ref2)),
            'yOrg': mf.enc(F.one_hot(y_org, domains)),
            'yTrg': mf.enc(F.one_hot(y_trg, domains)),
            'zTrg': mf.enc(z_trg),
            'zTrg2': mf.enc(z_trg2),
        },
        'forward': fwd,
        'steps': records,
        'trajectory': {'dsIter': ds_iter, 'iterations': trajectory, 'final': mf.enc_map(final)},
    })
    mf.format_with_biome()


if __name__ == '__main__':
    main()
