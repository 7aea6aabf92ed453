"""A PyTorch twin of hanzhanggit/StackGAN-v2's code/model.py at toy scale (issue 17).

The reference's modules with its names (GLU, upBlock, Block3x3_relu, ResBlock, CA_NET,
INIT_STAGE_G, NEXT_STAGE_G, GET_IMAGE_G, G_NET, D_NET64/128/256), the cfg globals turned into
arguments. Toy scale: the first stage is `base` px (64 in the reference) so INIT_STAGE_G has
log2(base / 4) up-blocks, and each D down-samples to 4 x 4 with the reference's layer pattern
(first conv without batch norm, then downBlocks, then Block3x3_leakRelu halving back to the
first stage's width). Conditioning augmentation takes its eps as an argument, so the TypeScript
side can be fed the same noise.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class GLU(nn.Module):
    def forward(self, x):
        nc = x.size(1) // 2
        return x[:, :nc] * torch.sigmoid(x[:, nc:])


def conv3x3(in_planes, out_planes):
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=1, padding=1, bias=False)


def upBlock(in_planes, out_planes):
    return nn.Sequential(
        nn.Upsample(scale_factor=2, mode='nearest'),
        conv3x3(in_planes, out_planes * 2),
        nn.BatchNorm2d(out_planes * 2),
        GLU(),
    )


def Block3x3_relu(in_planes, out_planes):
    return nn.Sequential(conv3x3(in_planes, out_planes * 2), nn.BatchNorm2d(out_planes * 2), GLU())


class ResBlock(nn.Module):
    def __init__(self, channel_num):
        super().__init__()
        self.block = nn.Sequential(
            conv3x3(channel_num, channel_num * 2),
            nn.BatchNorm2d(channel_num * 2),
            GLU(),
            conv3x3(channel_num, channel_num),
            nn.BatchNorm2d(channel_num),
        )

    def forward(self, x):
        return self.block(x) + x


class CA_NET(nn.Module):
    def __init__(self, t_dim, ef_dim):
        super().__init__()
        self.ef_dim = ef_dim
        self.fc = nn.Linear(t_dim, ef_dim * 4, bias=True)
        self.relu = GLU()

    def forward(self, text_embedding, eps):
        x = self.relu(self.fc(text_embedding))
        mu = x[:, : self.ef_dim]
        logvar = x[:, self.ef_dim :]
        std = logvar.mul(0.5).exp()
        return eps.mul(std).add(mu), mu, logvar


class INIT_STAGE_G(nn.Module):
    def __init__(self, ngf, in_dim, ups):
        super().__init__()
        self.gf_dim = ngf
        self.fc = nn.Sequential(nn.Linear(in_dim, ngf * 4 * 4 * 2, bias=False), nn.BatchNorm1d(ngf * 4 * 4 * 2), GLU())
        self.ups = nn.Sequential(*[upBlock(ngf // 2**i, ngf // 2 ** (i + 1)) for i in range(ups)])

    def forward(self, z_code, c_code=None):
        in_code = torch.cat((c_code, z_code), 1) if c_code is not None else z_code
        out_code = self.fc(in_code).view(-1, self.gf_dim, 4, 4)
        return self.ups(out_code)


class NEXT_STAGE_G(nn.Module):
    def __init__(self, ngf, ef_dim, num_residual):
        super().__init__()
        self.ef_dim = ef_dim
        self.jointConv = Block3x3_relu(ngf + ef_dim, ngf)
        self.residual = nn.Sequential(*[ResBlock(ngf) for _ in range(num_residual)])
        self.upsample = upBlock(ngf, ngf // 2)

    def forward(self, h_code, c_code):
        s_size = h_code.size(2)
        c_code = c_code.view(-1, self.ef_dim, 1, 1).repeat(1, 1, s_size, s_size)
        out_code = self.jointConv(torch.cat((c_code, h_code), 1))
        return self.upsample(self.residual(out_code))


class GET_IMAGE_G(nn.Module):
    def __init__(self, ngf):
        super().__init__()
        self.img = nn.Sequential(conv3x3(ngf, 3), nn.Tanh())

    def forward(self, h_code):
        return self.img(h_code)


class G_NET(nn.Module):
    def __init__(self, gf_dim, z_dim, ef_dim, t_dim, base, branches, r_num, condition):
        super().__init__()
        self.condition = condition
        ups = int(math.log2(base // 4))
        if condition:
            self.ca_net = CA_NET(t_dim, ef_dim)
        cond_dim = ef_dim if condition else z_dim
        self.h_net1 = INIT_STAGE_G(gf_dim * 2**ups, z_dim + (ef_dim if condition else 0), ups)
        self.img_net1 = GET_IMAGE_G(gf_dim)
        if branches > 1:
            self.h_net2 = NEXT_STAGE_G(gf_dim, cond_dim, r_num)
            self.img_net2 = GET_IMAGE_G(gf_dim // 2)
        if branches > 2:
            self.h_net3 = NEXT_STAGE_G(gf_dim // 2, cond_dim, r_num)
            self.img_net3 = GET_IMAGE_G(gf_dim // 4)
        self.branches = branches

    def forward(self, z_code, text_embedding=None, eps=None):
        if self.condition:
            c_code, mu, logvar = self.ca_net(text_embedding, eps)
        else:
            c_code, mu, logvar = z_code, None, None
        h = self.h_net1(z_code, c_code if self.condition else None)
        fake_imgs = [self.img_net1(h)]
        if self.branches > 1:
            h = self.h_net2(h, c_code)
            fake_imgs.append(self.img_net2(h))
        if self.branches > 2:
            h = self.h_net3(h, c_code)
            fake_imgs.append(self.img_net3(h))
        return fake_imgs, mu, logvar


def Block3x3_leakRelu(in_planes, out_planes):
    return nn.Sequential(conv3x3(in_planes, out_planes), nn.BatchNorm2d(out_planes), nn.LeakyReLU(0.2, inplace=True))


def downBlock(in_planes, out_planes):
    return nn.Sequential(
        nn.Conv2d(in_planes, out_planes, 4, 2, 1, bias=False), nn.BatchNorm2d(out_planes), nn.LeakyReLU(0.2, inplace=True)
    )


class D_NET(nn.Module):
    """D_NET64 / 128 / 256 for a stage of `size` px whose tree starts at `base` px."""

    def __init__(self, ndf, ef_dim, base, size, condition):
        super().__init__()
        self.ef_dim = ef_dim
        downs = int(math.log2(size // 4))
        target = ndf * 2 ** (int(math.log2(base // 4)) - 1)
        layers = [nn.Conv2d(3, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True)]
        channels = ndf
        for _ in range(1, downs):
            layers.append(downBlock(channels, channels * 2))
            channels *= 2
        while channels > target:
            layers.append(Block3x3_leakRelu(channels, channels // 2))
            channels //= 2
        self.img_code = nn.Sequential(*layers)
        self.logits = nn.Sequential(nn.Conv2d(target, 1, kernel_size=4, stride=4), nn.Sigmoid())
        self.condition = condition
        if condition:
            self.jointConv = Block3x3_leakRelu(target + ef_dim, target)
            self.uncond_logits = nn.Sequential(nn.Conv2d(target, 1, kernel_size=4, stride=4), nn.Sigmoid())

    def forward(self, x_var, c_code=None):
        x_code = self.img_code(x_var)
        if self.condition and c_code is not None:
            c_code = c_code.view(-1, self.ef_dim, 1, 1).repeat(1, 1, 4, 4)
            h_c_code = self.jointConv(torch.cat((c_code, x_code), 1))
        else:
            h_c_code = x_code
        output = self.logits(h_c_code)
        if self.condition:
            return [output.view(-1), self.uncond_logits(x_code).view(-1)]
        return [output.view(-1)]


def weights_init(m):
    """The reference's weights_init: orthogonal convs and linears, BN N(1, 0.02), zero biases."""
    name = m.__class__.__name__
    if name.find('Conv') != -1:
        nn.init.orthogonal_(m.weight.data, 1.0)
    elif name.find('BatchNorm') != -1:
        m.weight.data.normal_(1.0, 0.02)
        m.bias.data.fill_(0)
    elif name.find('Linear') != -1:
        nn.init.orthogonal_(m.weight.data, 1.0)
        if m.bias is not None:
            m.bias.data.fill_(0.0)


def KL_loss(mu, logvar):
    KLD_element = mu.pow(2).add(logvar.exp()).mul(-1).add(1).add(logvar)
    return torch.mean(KLD_element).mul(-0.5)


def compute_mean_covariance(img):
    batch_size, channel_num, height, width = img.size()
    num_pixels = height * width
    mu = img.mean(2, keepdim=True).mean(3, keepdim=True)
    img_hat = (img - mu.expand_as(img)).view(batch_size, channel_num, num_pixels)
    covariance = torch.bmm(img_hat, img_hat.transpose(1, 2)) / num_pixels
    return mu, covariance
