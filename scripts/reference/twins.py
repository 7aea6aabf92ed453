"""PyTorch twins of the playground's networks, for the parity fixtures (issue 13).

Each class follows its reference implementation layer for layer, at the tiny widths the
TypeScript models use in the parity tests:

  MlpGenerator, MlpDiscriminator   eriklindernoren/PyTorch-GAN implementations/gan/gan.py
  DcganGenerator, DcganDiscriminator   pytorch/examples dcgan/main.py
  WganGenerator, WganCritic        martinarjovsky/WassersteinGAN models/dcgan.py
                                   (DCGAN_G, DCGAN_D, and DCGAN_D_nobn with batch_norm=False,
                                   the critic our WGAN-GP uses)
  StarGenerator, StarDiscriminator yunjey/stargan model.py
  Mlp2d                            the 2D GAN's MLPs (GAN Lab has no PyTorch reference)

Widths are parameters here; the references hard-code the full-size ones. Written from the
references' structure, not copied. Tensors are NCHW, as in PyTorch.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


# ------------------------------------------------------------------------------------------
# GAN (PyTorch-GAN gan.py): MLPs on flattened C x H x W pixels.
# ------------------------------------------------------------------------------------------
class MlpGenerator(nn.Module):
    """z -> w1 (LReLU) -> w2, w3, w4 (BatchNorm1d with eps 0.8, LReLU 0.2) -> C*H*W, tanh.

    gan.py writes nn.BatchNorm1d(out_feat, 0.8): the second positional argument is eps, so
    eps is 0.8 (momentum stays 0.1). The reference widths are 128, 256, 512, 1024.
    """

    def __init__(self, z_dim, widths, img_shape):
        super().__init__()
        self.img_shape = img_shape
        layers = []
        previous = z_dim
        for k, width in enumerate(widths):
            layers.append(nn.Linear(previous, width))
            if k > 0:
                layers.append(nn.BatchNorm1d(width, 0.8))
            layers.append(nn.LeakyReLU(0.2))
            previous = width
        pixels = img_shape[0] * img_shape[1] * img_shape[2]
        layers += [nn.Linear(previous, pixels), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    def forward(self, z):
        return self.model(z).view(z.size(0), *self.img_shape)


class MlpDiscriminator(nn.Module):
    """C*H*W -> w1 -> w2 (LReLU 0.2) -> 1, sigmoid (reference widths 512, 256).

    The reference ends in nn.Sigmoid and uses nn.BCELoss; `logits` returns the value before
    the sigmoid so the loss can be compared with our BCE-with-logits.
    """

    def __init__(self, widths, img_shape):
        super().__init__()
        pixels = img_shape[0] * img_shape[1] * img_shape[2]
        self.trunk = nn.Sequential(
            nn.Linear(pixels, widths[0]),
            nn.LeakyReLU(0.2),
            nn.Linear(widths[0], widths[1]),
            nn.LeakyReLU(0.2),
            nn.Linear(widths[1], 1),
        )

    def logits(self, img):
        return self.trunk(img.view(img.size(0), -1))

    def forward(self, img):
        return torch.sigmoid(self.logits(img))


# ------------------------------------------------------------------------------------------
# DCGAN (pytorch/examples dcgan/main.py).
# ------------------------------------------------------------------------------------------
def dcgan_channels(image_size, base):
    """Widest channel count (next to 4 x 4) and the number of stride-2 blocks in between."""
    blocks = 0
    size = 4
    while size * 2 < image_size:
        size *= 2
        blocks += 1
    return base * 2**blocks, blocks


class DcganGenerator(nn.Module):
    """ConvT k4 s1 p0 (nz -> 4x4), [ConvT k4 s2 p1, BN, ReLU] halving channels, ConvT -> 3, tanh.

    No biases. At 64 px the reference has ngf*8 -> ngf*4 -> ngf*2 -> ngf -> 3.
    """

    def __init__(self, nz, ngf, image_size):
        super().__init__()
        channels, blocks = dcgan_channels(image_size, ngf)
        layers = [
            nn.ConvTranspose2d(nz, channels, 4, 1, 0, bias=False),
            nn.BatchNorm2d(channels),
            nn.ReLU(True),
        ]
        for _ in range(blocks):
            layers += [
                nn.ConvTranspose2d(channels, channels // 2, 4, 2, 1, bias=False),
                nn.BatchNorm2d(channels // 2),
                nn.ReLU(True),
            ]
            channels //= 2
        layers += [nn.ConvTranspose2d(channels, 3, 4, 2, 1, bias=False), nn.Tanh()]
        self.main = nn.Sequential(*layers)

    def forward(self, z):
        return self.main(z.view(z.size(0), -1, 1, 1))


class DcganDiscriminator(nn.Module):
    """Conv k4 s2 p1 -> ndf, LReLU 0.2; [Conv k4 s2 p1, BN, LReLU] doubling; Conv k4 s1 p0 -> 1.

    The reference ends in nn.Sigmoid with nn.BCELoss and returns output.view(-1, 1).squeeze(1);
    `logits` is the value before the sigmoid.
    """

    def __init__(self, ndf, image_size, batch_norm=True):
        super().__init__()
        _, blocks = dcgan_channels(image_size, ndf)
        channels = ndf
        layers = [nn.Conv2d(3, channels, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True)]
        for _ in range(blocks):
            layers.append(nn.Conv2d(channels, channels * 2, 4, 2, 1, bias=False))
            if batch_norm:
                layers.append(nn.BatchNorm2d(channels * 2))
            layers.append(nn.LeakyReLU(0.2, inplace=True))
            channels *= 2
        layers.append(nn.Conv2d(channels, 1, 4, 1, 0, bias=False))
        self.main = nn.Sequential(*layers)

    def logits(self, x):
        return self.main(x).view(-1)

    def forward(self, x):
        return torch.sigmoid(self.logits(x))


# ------------------------------------------------------------------------------------------
# WGAN (martinarjovsky/WassersteinGAN models/dcgan.py). DCGAN_G has DCGAN's shape (cngf =
# ngf * isize / 8 at the 4 x 4 end, n_extra_layers = 0); DCGAN_D and DCGAN_D_nobn have the
# DCGAN discriminator's shape without the sigmoid, and forward returns the batch mean.
# ------------------------------------------------------------------------------------------
class WganGenerator(DcganGenerator):
    """DCGAN_G: the same layers as the DCGAN generator."""


class WganCritic(DcganDiscriminator):
    """DCGAN_D (batch_norm=True) or DCGAN_D_nobn (batch_norm=False)."""

    def scores(self, x):
        """One critic value per image (what our critic returns)."""
        return self.logits(x)

    def forward(self, x):
        # As the reference: output.mean(0).view(1).
        return self.main(x).mean(0).view(1)


# ------------------------------------------------------------------------------------------
# StarGAN v1 (yunjey/stargan model.py).
# ------------------------------------------------------------------------------------------
class ResidualBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(dim, dim, 3, 1, 1, bias=False),
            nn.InstanceNorm2d(dim, affine=True, track_running_stats=True),
            nn.ReLU(inplace=True),
            nn.Conv2d(dim, dim, 3, 1, 1, bias=False),
            nn.InstanceNorm2d(dim, affine=True, track_running_stats=True),
        )

    def forward(self, x):
        return x + self.main(x)


class StarGenerator(nn.Module):
    """Conv k7 -> conv_dim, IN, ReLU; 2 x down (k4 s2 p1); repeat_num residual blocks;
    2 x ConvT k4 s2 p1; Conv k7 -> 3, tanh. No conv biases; c tiled and concatenated."""

    def __init__(self, conv_dim, c_dim, repeat_num):
        super().__init__()

        def norm(dim):
            return nn.InstanceNorm2d(dim, affine=True, track_running_stats=True)

        layers = [nn.Conv2d(3 + c_dim, conv_dim, 7, 1, 3, bias=False), norm(conv_dim), nn.ReLU(True)]
        dim = conv_dim
        for _ in range(2):
            layers += [nn.Conv2d(dim, dim * 2, 4, 2, 1, bias=False), norm(dim * 2), nn.ReLU(True)]
            dim *= 2
        layers += [ResidualBlock(dim) for _ in range(repeat_num)]
        for _ in range(2):
            layers += [
                nn.ConvTranspose2d(dim, dim // 2, 4, 2, 1, bias=False),
                norm(dim // 2),
                nn.ReLU(True),
            ]
            dim //= 2
        layers += [nn.Conv2d(dim, 3, 7, 1, 3, bias=False), nn.Tanh()]
        self.main = nn.Sequential(*layers)

    def forward(self, x, c):
        c = c.view(c.size(0), c.size(1), 1, 1).repeat(1, 1, x.size(2), x.size(3))
        return self.main(torch.cat([x, c], dim=1))


class StarDiscriminator(nn.Module):
    """PatchGAN: repeat_num x [Conv k4 s2 p1 (bias), LReLU 0.01]; src = Conv k3 p1 -> 1,
    cls = Conv k(image_size / 2^repeat_num) -> c_dim, both without bias."""

    def __init__(self, image_size, conv_dim, c_dim, repeat_num):
        super().__init__()
        layers = [nn.Conv2d(3, conv_dim, 4, 2, 1), nn.LeakyReLU(0.01)]
        dim = conv_dim
        for _ in range(1, repeat_num):
            layers += [nn.Conv2d(dim, dim * 2, 4, 2, 1), nn.LeakyReLU(0.01)]
            dim *= 2
        self.main = nn.Sequential(*layers)
        self.conv1 = nn.Conv2d(dim, 1, 3, 1, 1, bias=False)
        self.conv2 = nn.Conv2d(dim, c_dim, image_size // 2**repeat_num, bias=False)

    def forward(self, x):
        h = self.main(x)
        out_cls = self.conv2(h)
        return self.conv1(h), out_cls.view(out_cls.size(0), out_cls.size(1))


def stargan_classification_loss(logit, target, dataset):
    """solver.py: BCE with logits summed and divided by the batch (CelebA), or cross-entropy."""
    if dataset == 'CelebA':
        return F.binary_cross_entropy_with_logits(logit, target, reduction='sum') / logit.size(0)
    return F.cross_entropy(logit, target)


def gradient_penalty(y, x):
    """solver.py's gradient_penalty: mean over the batch of (||dy/dx||_2 - 1)^2."""
    dydx = torch.autograd.grad(
        outputs=y, inputs=x, grad_outputs=torch.ones_like(y), retain_graph=True, create_graph=True
    )[0]
    norm = torch.sqrt(torch.sum(dydx.view(dydx.size(0), -1) ** 2, dim=1))
    return torch.mean((norm - 1) ** 2)


# ------------------------------------------------------------------------------------------
# The 2D GAN's MLPs: hidden layers of ReLU (G) or LeakyReLU 0.2 (D), then a linear output.
# ------------------------------------------------------------------------------------------
class Mlp2d(nn.Module):
    def __init__(self, in_dim, hidden_layers, width, out_dim, slope):
        super().__init__()
        layers = []
        previous = in_dim
        for _ in range(hidden_layers):
            layers += [nn.Linear(previous, width), nn.LeakyReLU(slope) if slope else nn.ReLU()]
            previous = width
        layers.append(nn.Linear(previous, out_dim))
        self.main = nn.Sequential(*layers)

    def forward(self, x):
        return self.main(x)
