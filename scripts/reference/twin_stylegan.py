#!/usr/bin/python3
"""PyTorch twin of StyleGAN-lite (src/models/stylegan.ts), written from NVlabs/stylegan
(training/networks_stylegan.py: G_mapping, G_synthesis, D_basic; training/loss.py:
G_logistic_nonsaturating, D_logistic_simplegp) at toy scale, for the parity fixture
(make_fixtures_stylegan.py) and fast training (train_stylegan.py).

Parameters live in one dict under OUR names and in OUR layouts (dense W [in, out], conv W
[kh, kw, in, out], the constant [1, 4, 4, C]), so fixtures and exported weights need no name
map; the forward passes permute to NCHW where torch wants it. Equalised learning rate as the
reference's get_weight(use_wscale=True): stored weights ~ N(0, 1 / lrmul), multiplied at run
time by gain / sqrt(fan_in) * lrmul; biases stored as b and used as b * lrmul.
"""
import math

import torch
import torch.nn.functional as F


def layer_count(size):
    return 2 * int(math.log2(size)) - 2


def layer_res(i):
    return 4 * 2 ** (i // 2)


def channels_at(width, res):
    return max(1, min(width, (width * 32) // res))


def lrelu(x):
    return F.leaky_relu(x, 0.2)


class StyleGanTwin:
    def __init__(self, size, latent, mapping_layers, width, lrmul=0.01, dtype=torch.float64,
                 group=4):
        self.size, self.latent, self.width, self.lrmul = size, latent, width, lrmul
        self.mapping_layers, self.layers, self.group = mapping_layers, layer_count(size), group
        self.dtype = dtype
        self.G = {}
        self.D = {}
        L = latent
        for i in range(mapping_layers):
            self._w(self.G, f'G/mapping/Dense{i}/W', [L, L], 1 / lrmul)
            self.G[f'G/mapping/Dense{i}/b'] = torch.zeros(L, dtype=dtype)
        self.G['G/dlatent_avg'] = torch.zeros(L, dtype=dtype)
        self.G['G/4x4/Const/const'] = torch.ones(1, 4, 4, channels_at(width, 4), dtype=dtype)
        for i in range(self.layers):
            res, c = layer_res(i), channels_at(width, layer_res(i))
            name = self.layer_name(i)
            if i > 0:
                c_in = channels_at(width, layer_res(i - 1))
                self._w(self.G, f'G/{name}/W', [3, 3, c_in, c], 1.0)
            self.G[f'G/{name}/Noise/weight'] = torch.zeros(c, dtype=dtype)
            self.G[f'G/{name}/bias'] = torch.zeros(c, dtype=dtype)
            self._w(self.G, f'G/{name}/StyleMod/W', [L, 2 * c], 1.0)
            self.G[f'G/{name}/StyleMod/b'] = torch.zeros(2 * c, dtype=dtype)
        c_top = channels_at(width, size)
        self._w(self.G, 'G/ToRGB/W', [1, 1, c_top, 3], 1.0)
        self.G['G/ToRGB/b'] = torch.zeros(3, dtype=dtype)
        # D
        self._w(self.D, 'D/FromRGB/W', [1, 1, 3, c_top], 1.0)
        self.D['D/FromRGB/b'] = torch.zeros(c_top, dtype=dtype)
        res = size
        while res > 4:
            c, cn = channels_at(width, res), channels_at(width, res // 2)
            self._w(self.D, f'D/{res}x{res}/Conv0/W', [3, 3, c, c], 1.0)
            self.D[f'D/{res}x{res}/Conv0/b'] = torch.zeros(c, dtype=dtype)
            self._w(self.D, f'D/{res}x{res}/Conv1_down/W', [3, 3, c, cn], 1.0)
            self.D[f'D/{res}x{res}/Conv1_down/b'] = torch.zeros(cn, dtype=dtype)
            res //= 2
        c4 = channels_at(width, 4)
        self._w(self.D, 'D/4x4/Conv/W', [3, 3, c4 + 1, c4], 1.0)
        self.D['D/4x4/Conv/b'] = torch.zeros(c4, dtype=dtype)
        self._w(self.D, 'D/4x4/Dense0/W', [16 * c4, c4], 1.0)
        self.D['D/4x4/Dense0/b'] = torch.zeros(c4, dtype=dtype)
        self._w(self.D, 'D/4x4/Dense1/W', [c4, 1], 1.0)
        self.D['D/4x4/Dense1/b'] = torch.zeros(1, dtype=dtype)

    def _w(self, store, name, shape, std):
        store[name] = torch.randn(*shape, dtype=self.dtype) * std

    @staticmethod
    def layer_name(i):
        res = layer_res(i)
        kind = 'Const' if i == 0 else ('Conv' if i % 2 == 1 else 'Conv0_up')
        return f'{res}x{res}/{kind}'

    # ---- equalised layers -------------------------------------------------------------
    @staticmethod
    def dense(x, W, b, gain=math.sqrt(2), lrmul=1.0):
        y = x @ (W * (gain / math.sqrt(W.shape[0]) * lrmul))
        return y if b is None else y + b * lrmul

    @staticmethod
    def conv(x, W, b=None, gain=math.sqrt(2)):
        """x NCHW, W [kh, kw, in, out] (ours) -> F.conv2d's [out, in, kh, kw]; 'same' padding."""
        k = W.shape[0]
        fan_in = W.shape[0] * W.shape[1] * W.shape[2]
        w = (W * (gain / math.sqrt(fan_in))).permute(3, 2, 0, 1)
        y = F.conv2d(x, w, padding=k // 2)
        return y if b is None else y + b.view(1, -1, 1, 1)

    @staticmethod
    def blur(x):
        c = x.shape[1]
        f = torch.tensor([1.0, 2.0, 1.0], dtype=x.dtype)
        f = (f[:, None] * f[None, :]) / 16
        return F.conv2d(x, f.expand(c, 1, 3, 3).contiguous(), padding=1, groups=c)

    @staticmethod
    def pixel_norm(x, eps=1e-8):
        return x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + eps)

    @staticmethod
    def instance_norm(x, eps=1e-8):
        x = x - x.mean(dim=(2, 3), keepdim=True)
        return x * torch.rsqrt(x.pow(2).mean(dim=(2, 3), keepdim=True) + eps)

    # ---- G ------------------------------------------------------------------------------
    def mapping(self, z, P=None):
        P = P or self.G
        x = self.pixel_norm(z)
        for i in range(self.mapping_layers):
            x = lrelu(self.dense(x, P[f'G/mapping/Dense{i}/W'], P[f'G/mapping/Dense{i}/b'],
                                 lrmul=self.lrmul))
        return x

    def synthesis(self, ws, noise, P=None):
        """ws: one [N, L] per layer; noise: one [N, 1, res, res] per layer. Returns NCHW."""
        P = P or self.G
        n = ws[0].shape[0]
        x = P['G/4x4/Const/const'].permute(0, 3, 1, 2).expand(n, -1, -1, -1)
        for i in range(self.layers):
            name = self.layer_name(i)
            if i > 0:
                if i % 2 == 0:
                    x = F.interpolate(x, scale_factor=2, mode='nearest')
                x = self.conv(x, P[f'G/{name}/W'])
                if i % 2 == 0:
                    x = self.blur(x)
            # layer_epilogue: noise, bias, act, instance norm, style mod
            x = x + noise[i] * P[f'G/{name}/Noise/weight'].view(1, -1, 1, 1)
            x = x + P[f'G/{name}/bias'].view(1, -1, 1, 1)
            x = self.instance_norm(lrelu(x))
            style = self.dense(ws[i], P[f'G/{name}/StyleMod/W'], P[f'G/{name}/StyleMod/b'],
                               gain=1.0)
            c = x.shape[1]
            x = x * (style[:, :c].view(n, c, 1, 1) + 1) + style[:, c:].view(n, c, 1, 1)
        return self.conv(x, P['G/ToRGB/W'], P['G/ToRGB/b'], gain=1.0)

    def styles(self, z1, z2, crossover, P=None):
        w1 = self.mapping(z1, P)
        w2 = self.mapping(z2, P) if crossover < self.layers else w1
        return [w1 if i < crossover else w2 for i in range(self.layers)], w1

    # ---- D ------------------------------------------------------------------------------
    def minibatch_stddev(self, x):
        n, c, h, w = x.shape
        g = min(self.group, n)
        y = x.reshape(g, -1, c, h, w)
        y = y - y.mean(dim=0, keepdim=True)
        y = torch.sqrt(y.pow(2).mean(dim=0) + 1e-8)
        y = y.mean(dim=(1, 2, 3))  # [M]
        y = y.repeat(g).view(n, 1, 1, 1).expand(n, 1, h, w)
        return torch.cat([x, y], dim=1)

    def discriminator(self, x, P=None):
        """x NCHW -> [N, 1] logits."""
        P = P or self.D
        h = lrelu(self.conv(x, P['D/FromRGB/W'], P['D/FromRGB/b']))
        res = self.size
        while res > 4:
            h = lrelu(self.conv(h, P[f'D/{res}x{res}/Conv0/W'], P[f'D/{res}x{res}/Conv0/b']))
            h = F.avg_pool2d(self.conv(self.blur(h), P[f'D/{res}x{res}/Conv1_down/W']), 2)
            h = lrelu(h + P[f'D/{res}x{res}/Conv1_down/b'].view(1, -1, 1, 1))
            res //= 2
        h = lrelu(self.conv(self.minibatch_stddev(h), P['D/4x4/Conv/W'], P['D/4x4/Conv/b']))
        # Flatten in OUR (NHWC) order so Dense0's [16 C, C] weights mean the same.
        flat = h.permute(0, 2, 3, 1).reshape(h.shape[0], -1)
        h = lrelu(self.dense(flat, P['D/4x4/Dense0/W'], P['D/4x4/Dense0/b']))
        return self.dense(h, P['D/4x4/Dense1/W'], P['D/4x4/Dense1/b'], gain=1.0)

    # ---- losses -------------------------------------------------------------------------
    def d_loss(self, real, fake, gamma):
        """real, fake NCHW. L_D = E softplus(D(fake)) + E softplus(-D(real)) + gamma/2 E|grad|^2."""
        real = real.detach().requires_grad_(True)
        real_out = self.discriminator(real)
        adv = F.softplus(self.discriminator(fake)).mean() + F.softplus(-real_out).mean()
        (grad,) = torch.autograd.grad(real_out.sum(), real, create_graph=True)
        r1 = 0.5 * grad.pow(2).sum(dim=(1, 2, 3)).mean()
        return adv + gamma * r1, [adv, r1]

    def g_loss(self, fake):
        """L_G = E softplus(-D(G(z)))."""
        loss = F.softplus(-self.discriminator(fake)).mean()
        return loss, [loss]

    def track_mean(self, w1, beta):
        with torch.no_grad():
            m = w1.mean(dim=0)
            self.G['G/dlatent_avg'] = m + (self.G['G/dlatent_avg'] - m) * beta
