#!/usr/bin/python3
"""Parity fixture for src/models/parity/stackgan.test.ts (issue 17).

    /usr/bin/python3 scripts/reference/make_fixtures_stackgan.py

Writes src/models/parity/fixtures/stackgan.json with, for the text-conditional and the
unconditional mode at a tiny three-stage config (8, 16, 32 px): the initial weights of G and
the three Ds under our names and layouts (make_fixtures.py's rules), the inputs (reals and
wrong reals per stage, z, caption embeddings, eps), G's forward pass (each stage, mu, logvar)
and each D's logits on the reals, and one iteration of hanzhanggit/StackGAN-v2's trainer.py
(condGANTrainer / GANTrainer.train): G's forward pass, every D's update, G's update with
KL and colour consistency, the weight average. Then, in the text mode, four more iterations
on the same optimisers with batches drawn as the experiment draws them (faces from the first
iteration's finest reals and wrong reals, some mirrored, box-averaged to each stage, other
faces as wrong pairs, fresh captions, z and eps), with each iteration's losses and every
variable at the end: what accumulates over steps (Adam's moments and bias corrections, batch
norm's running averages, avg_param_G) is checked too. Float64, seeded.
"""

import copy
import math
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

import make_fixtures as mf
import twin_stackgan as sg

torch.set_default_dtype(torch.float64)

# src/data/captions.ts: one axis per content word, WORD_SCALE on each of a caption's words.
TEXT_DIM, WORD_SCALE, CAPTION_WORDS = 21, 4.0, 4
# trainer.py's weight average: avg_p.mul_(0.999).add_(0.001, p.data) after each G step.
EMA_DECAY = 0.999


def captions_like(n):
    """Embeddings shaped as the encoder's: WORD_SCALE on CAPTION_WORDS distinct axes."""
    text = torch.zeros(n, TEXT_DIM)
    for row in text:
        row[torch.randperm(TEXT_DIM)[:CAPTION_WORDS]] = WORD_SCALE
    return text


def g_prefixes(condition, ups, branches, r_num):
    names = (['ca/fc'] if condition else []) + ['init/fc', 'init/fc/bn']
    for i in range(ups):
        names += [f'init/up{i}/conv', f'init/up{i}/bn']
    names.append('img0/conv')
    for k in range(1, branches):
        names += [f'stage{k}/joint/conv', f'stage{k}/joint/bn']
        for r in range(r_num):
            names += [f'stage{k}/res{r}/0/conv', f'stage{k}/res{r}/0/bn']
            names += [f'stage{k}/res{r}/1/conv', f'stage{k}/res{r}/1/bn']
        names += [f'stage{k}/up/conv', f'stage{k}/up/bn', f'img{k}/conv']
    return names


def d_prefixes(condition, base, size):
    downs = int(math.log2(size // 4))
    names = ['down0/conv']
    for j in range(1, downs):
        names += [f'down{j}/conv', f'down{j}/bn']
    for j in range(downs - int(math.log2(base // 4))):
        names += [f'reduce{j}/conv', f'reduce{j}/bn']
    names.append('logits')
    if condition:
        names += ['joint/conv', 'joint/bn', 'uncondLogits']
    return names


def make_case(mode, seed):
    torch.manual_seed(seed)
    condition = mode == 'text'
    base, branches, z_dim, ef, gf, r_num, df, n = 8, 3, 6, 4, 8, 1, 2, 3
    kl_coeff, uncond, color = 2.0, 1.0, 50.0
    sizes = [base * 2**i for i in range(branches)]
    G = sg.G_NET(gf, z_dim, ef, TEXT_DIM, base, branches, r_num, condition)
    Ds = [sg.D_NET(df, ef, base, s, condition) for s in sizes]
    for net in [G, *Ds]:
        net.apply(sg.weights_init)
    with torch.no_grad():  # move biases off zero so they are tested
        for net in [G, *Ds]:
            for m in net.modules():
                if isinstance(m, (nn.Conv2d, nn.Linear)) and m.bias is not None:
                    m.bias.normal_(0.0, 0.1)
                if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                    m.bias.normal_(0.0, 0.1)
    nG = mf.Network('G', G, g_prefixes(condition, int(math.log2(base // 4)), branches, r_num))
    nDs = [mf.Network(f'D{i}', D, d_prefixes(condition, base, s)) for i, (D, s) in enumerate(zip(Ds, sizes))]

    reals = [torch.rand(n, 3, s, s) * 2 - 1 for s in sizes]
    wrongs = [torch.rand(n, 3, s, s) * 2 - 1 for s in sizes] if condition else None
    z = torch.randn(n, z_dim)
    text = captions_like(n) if condition else None
    eps = torch.randn(n, ef) if condition else None

    s0 = mf.full_state(nG, *nDs)
    with torch.no_grad():
        fwd, mu_f, logvar_f = G(z, text, eps)
        d_fwd = [D(reals[i], mu_f) for i, D in enumerate(Ds)]
    for net in [nG, *nDs]:  # the forward passes moved running averages: put them back
        mf.load(net, s0)

    bce = nn.BCELoss()
    ones, zeros = torch.ones(n), torch.zeros(n)
    opt_G = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_Ds = [torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999)) for D in Ds]

    # copy_G_params: the weight average that samples starts from the initial G.
    avg_param_G = [p.detach().clone() for p in G.parameters()]

    def iteration(reals, wrongs, z, text, eps):
        """condGANTrainer.train's loop body: one G forward pass, train_Dnet for each stage,
        train_Gnet, then the weight average; returns every loss term in our chart order."""
        fake_imgs, mu, logvar = G(z, text, eps)
        d_terms = []
        for i, D in enumerate(Ds):
            D.zero_grad()
            if condition:
                c = mu.detach()
                real_logits = D(reals[i], c)
                wrong_logits = D(wrongs[i], c)
                fake_logits = D(fake_imgs[i].detach(), c)
                errD_real = bce(real_logits[0], ones) + uncond * bce(real_logits[1], ones)
                errD_wrong = bce(wrong_logits[0], zeros) + uncond * bce(wrong_logits[1], ones)
                errD_fake = bce(fake_logits[0], zeros) + uncond * bce(fake_logits[1], zeros)
                errD = errD_real + errD_wrong + errD_fake
                d_terms += [errD_real.item(), errD_wrong.item(), errD_fake.item()]
            else:
                errD_real = bce(D(reals[i])[0], ones)
                errD_fake = bce(D(fake_imgs[i].detach())[0], zeros)
                errD = errD_real + errD_fake
                d_terms += [errD_real.item(), errD_fake.item()]
            errD.backward()
            opt_Ds[i].step()

        # train_Gnet: every stage against its updated D, colour consistency, KL.
        G.zero_grad()
        g_terms = []
        errG_total = 0
        for i, D in enumerate(Ds):
            outputs = D(fake_imgs[i], mu)
            errG = bce(outputs[0], ones)
            if condition:
                errG = errG + uncond * bce(outputs[1], ones)
            g_terms.append(errG.item())
            errG_total = errG_total + errG
        if condition:
            kl = sg.KL_loss(mu, logvar)
            g_terms.append(kl.item())
        like_mu, like_cov = 0, 0
        for fine, coarse in [(-1, -2), (-2, -3)]:
            mu1, cov1 = sg.compute_mean_covariance(fake_imgs[fine])
            mu2, cov2 = sg.compute_mean_covariance(fake_imgs[coarse].detach())
            like_mu = like_mu + nn.MSELoss()(mu1, mu2)
            like_cov = like_cov + nn.MSELoss()(cov1, cov2)
        g_terms += [like_mu.item(), like_cov.item()]
        errG_total = errG_total + color * like_mu + color * 5 * like_cov
        if condition:
            errG_total = errG_total + kl * kl_coeff
        errG_total.backward()
        opt_G.step()
        with torch.no_grad():
            for p, avg_p in zip(G.parameters(), avg_param_G):
                avg_p.mul_(EMA_DECAY).add_(p, alpha=1 - EMA_DECAY)
        return d_terms + g_terms

    losses = iteration(reals, wrongs, z, text, eps)
    s1 = mf.full_state(nG, *nDs)

    nhwc = mf.nchw_to_nhwc
    case = {
        'config': {
            'mode': mode,
            'baseSize': base,
            'branches': branches,
            'zDim': z_dim,
            'embeddingDim': ef,
            'gfDim': gf,
            'rNum': r_num,
            'dfDim': df,
            'batchSize': n,
            'lambdaKl': kl_coeff,
            'uncondLoss': uncond,
            'lambdaColor': color,
        },
        'weights': mf.enc_map(s0),
        'inputs': {
            'reals': [mf.enc(nhwc(x)) for x in reals],
            'wrongs': [mf.enc(nhwc(x)) for x in wrongs] if condition else None,
            'z': mf.enc(z),
            'text': mf.enc(text) if condition else None,
            'eps': mf.enc(eps) if condition else None,
        },
        'forward': {
            'images': [mf.enc(nhwc(x)) for x in fwd],
            'mu': mf.enc(mu_f) if condition else None,
            'logvar': mf.enc(logvar_f) if condition else None,
            # D's outputs as probabilities (the reference's Sigmoid): [cond, uncond] or [uncond].
            'D': [[mf.enc(o) for o in out] for out in d_fwd],
        },
        'iteration': mf.step_record(s0, s0, losses, s1),
    }
    if not condition:  # the unconditional loop is the text loop minus terms: not worth its bytes
        return case

    # Iterations 2 to 5 on the same optimisers and weight average, with batches drawn as the
    # experiment draws them: faces from a pool (the first iteration's finest reals and wrong
    # reals, as the fixture stores them) with random mirroring, box-averaged down to each stage,
    # wrong faces among the others, fresh captions, z and eps.
    pool = torch.cat([reals[-1], wrongs[-1]]).float().double()

    def pyramid(finest):
        out = [finest]
        for _ in range(branches - 1):
            out.insert(0, F.avg_pool2d(out[0], 2))
        return out

    trajectory = []
    for _ in range(4):
        index = torch.randint(len(pool), (n,))
        flip = torch.rand(n) < 0.5
        wrong = (index + torch.randint(1, len(pool), (n,))) % len(pool)
        finest = torch.where(flip[:, None, None, None], pool[index].flip(3), pool[index])
        z_k, text_k, eps_k = torch.randn(n, z_dim), captions_like(n), torch.randn(n, ef)
        losses_k = iteration(pyramid(finest), pyramid(pool[wrong]), z_k, text_k, eps_k)
        trajectory.append({
            'indices': index.tolist(),
            'flips': flip.tolist(),
            'wrongIndices': wrong.tolist(),
            'z': mf.enc(z_k),
            'text': mf.enc(text_k),
            'eps': mf.enc(eps_k),
            'losses': losses_k,
        })
    # Our average is a second G (under 'Gema') holding avg_param_G and, as load_params leaves
    # them, the live G's batch norm buffers.
    G_avg = copy.deepcopy(G)
    with torch.no_grad():
        for p, avg_p in zip(G_avg.parameters(), avg_param_G):
            p.copy_(avg_p)
    nGema = mf.Network('Gema', G_avg, nG.prefixes)
    case['trajectory'] = {'iterations': trajectory, 'final': mf.enc_map(mf.full_state(nG, nGema, *nDs))}
    return case


if __name__ == '__main__':
    mf.write('stackgan', {
        'family': 'stackgan',
        'cases': OrderedDict([('text', make_case('text', 17)), ('unconditional', make_case('unconditional', 18))]),
    })
    mf.format_with_biome()
