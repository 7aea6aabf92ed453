"""PyTorch twins of junyanz/pytorch-CycleGAN-and-pix2pix's networks (models/networks.py) as
CycleGAN and Pix2Pix use them, with instance norm (affine=False, track_running_stats=False, so
use_bias=True): ResnetGenerator, NLayerDiscriminator, UnetGenerator (UnetSkipConnectionBlock).
The code follows the reference module for module, so registration order (and the parameter
names' order) is the reference's; init_weights('normal', 0.02) as there.
"""

import functools
import itertools

import torch
import torch.nn as nn

norm_layer = functools.partial(nn.InstanceNorm2d, affine=False, track_running_stats=False)
USE_BIAS = True  # norm_layer.func == nn.InstanceNorm2d


class ResnetBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.conv_block = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, kernel_size=3, padding=0, bias=USE_BIAS),
            norm_layer(dim), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, kernel_size=3, padding=0, bias=USE_BIAS),
            norm_layer(dim))

    def forward(self, x):
        return x + self.conv_block(x)


class ResnetGenerator(nn.Module):
    def __init__(self, input_nc, output_nc, ngf=64, n_blocks=6):
        super().__init__()
        model = [nn.ReflectionPad2d(3), nn.Conv2d(input_nc, ngf, kernel_size=7, padding=0, bias=USE_BIAS),
                 norm_layer(ngf), nn.ReLU(True)]
        n_downsampling = 2
        for i in range(n_downsampling):
            mult = 2 ** i
            model += [nn.Conv2d(ngf * mult, ngf * mult * 2, kernel_size=3, stride=2, padding=1, bias=USE_BIAS),
                      norm_layer(ngf * mult * 2), nn.ReLU(True)]
        mult = 2 ** n_downsampling
        for i in range(n_blocks):
            model += [ResnetBlock(ngf * mult)]
        for i in range(n_downsampling):
            mult = 2 ** (n_downsampling - i)
            model += [nn.ConvTranspose2d(ngf * mult, int(ngf * mult / 2), kernel_size=3, stride=2,
                                         padding=1, output_padding=1, bias=USE_BIAS),
                      norm_layer(int(ngf * mult / 2)), nn.ReLU(True)]
        model += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, output_nc, kernel_size=7, padding=0), nn.Tanh()]
        self.model = nn.Sequential(*model)

    def forward(self, x):
        return self.model(x)


class NLayerDiscriminator(nn.Module):
    def __init__(self, input_nc, ndf=64, n_layers=3):
        super().__init__()
        kw, padw = 4, 1
        sequence = [nn.Conv2d(input_nc, ndf, kernel_size=kw, stride=2, padding=padw), nn.LeakyReLU(0.2, True)]
        nf_mult = 1
        for n in range(1, n_layers):
            nf_mult_prev, nf_mult = nf_mult, min(2 ** n, 8)
            sequence += [nn.Conv2d(ndf * nf_mult_prev, ndf * nf_mult, kernel_size=kw, stride=2, padding=padw, bias=USE_BIAS),
                         norm_layer(ndf * nf_mult), nn.LeakyReLU(0.2, True)]
        nf_mult_prev, nf_mult = nf_mult, min(2 ** n_layers, 8)
        sequence += [nn.Conv2d(ndf * nf_mult_prev, ndf * nf_mult, kernel_size=kw, stride=1, padding=padw, bias=USE_BIAS),
                     norm_layer(ndf * nf_mult), nn.LeakyReLU(0.2, True)]
        sequence += [nn.Conv2d(ndf * nf_mult, 1, kernel_size=kw, stride=1, padding=padw)]
        self.model = nn.Sequential(*sequence)

    def forward(self, x):
        return self.model(x)


class UnetSkipConnectionBlock(nn.Module):
    def __init__(self, outer_nc, inner_nc, input_nc=None, submodule=None, outermost=False,
                 innermost=False, use_dropout=False):
        super().__init__()
        self.outermost = outermost
        if input_nc is None:
            input_nc = outer_nc
        downconv = nn.Conv2d(input_nc, inner_nc, kernel_size=4, stride=2, padding=1, bias=USE_BIAS)
        downrelu = nn.LeakyReLU(0.2, True)
        downnorm = norm_layer(inner_nc)
        uprelu = nn.ReLU(True)
        upnorm = norm_layer(outer_nc)
        if outermost:
            upconv = nn.ConvTranspose2d(inner_nc * 2, outer_nc, kernel_size=4, stride=2, padding=1)
            model = [downconv] + [submodule] + [uprelu, upconv, nn.Tanh()]
        elif innermost:
            upconv = nn.ConvTranspose2d(inner_nc, outer_nc, kernel_size=4, stride=2, padding=1, bias=USE_BIAS)
            model = [downrelu, downconv] + [uprelu, upconv, upnorm]
        else:
            upconv = nn.ConvTranspose2d(inner_nc * 2, outer_nc, kernel_size=4, stride=2, padding=1, bias=USE_BIAS)
            model = [downrelu, downconv, downnorm] + [submodule] + [uprelu, upconv, upnorm]
            if use_dropout:
                model += [nn.Dropout(0.5)]
        self.model = nn.Sequential(*model)

    def forward(self, x):
        if self.outermost:
            return self.model(x)
        return torch.cat([x, self.model(x)], 1)


class UnetGenerator(nn.Module):
    """As the reference for num_downs >= 5; below that (16 px) the fixed ngf*4, ngf*2, ngf chain
    is cut from the inside, channels ngf * min(2^level, 8) as ours (TS unetGenerator)."""

    def __init__(self, input_nc, output_nc, num_downs, ngf=64, use_dropout=False):
        super().__init__()
        ch = lambda level: ngf * min(2 ** level, 8)  # noqa: E731
        levels = num_downs
        block = UnetSkipConnectionBlock(ch(levels - 2), ch(levels - 1), innermost=True)
        for level in range(levels - 2, 0, -1):
            block = UnetSkipConnectionBlock(ch(level - 1), ch(level), submodule=block,
                                            use_dropout=use_dropout and ch(level) == ch(level - 1))
        self.model = UnetSkipConnectionBlock(output_nc, ngf, input_nc=input_nc, submodule=block, outermost=True)

    def forward(self, x):
        return self.model(x)


def init_weights(net, init_gain=0.02):
    def init_func(m):
        classname = m.__class__.__name__
        if hasattr(m, 'weight') and m.weight is not None and (classname.find('Conv') != -1):
            nn.init.normal_(m.weight.data, 0.0, init_gain)
            if hasattr(m, 'bias') and m.bias is not None:
                nn.init.constant_(m.bias.data, 0.0)
    net.apply(init_func)


class ImagePool:
    """util/image_pool.py, verbatim in behaviour (random.uniform / random.randint)."""

    def __init__(self, pool_size, rand):
        self.pool_size = pool_size
        self.rand = rand
        self.num_imgs = 0
        self.images = []

    def query(self, images):
        if self.pool_size == 0:
            return images
        return_images = []
        for image in images:
            image = torch.unsqueeze(image.data, 0)
            if self.num_imgs < self.pool_size:
                self.num_imgs = self.num_imgs + 1
                self.images.append(image)
                return_images.append(image)
            else:
                p = self.rand.uniform(0, 1)
                if p > 0.5:
                    random_id = self.rand.randint(0, self.pool_size - 1)
                    tmp = self.images[random_id].clone()
                    self.images[random_id] = image
                    return_images.append(tmp)
                else:
                    return_images.append(image)
        return torch.cat(return_images, 0)


def lsgan(pred, real):
    """nn.MSELoss against an all-ones (real) or all-zeros target, as GANLoss('lsgan')."""
    return nn.functional.mse_loss(pred, torch.ones_like(pred) if real else torch.zeros_like(pred))


class Pix2Pix:
    """pix2pix_model.py's networks (init_weights applied) and its two objectives, vanilla GAN."""

    def __init__(self, levels, ngf, ndf, layers):
        self.G = UnetGenerator(3, 3, levels, ngf)
        self.D = NLayerDiscriminator(6, ndf, layers)
        init_weights(self.G)
        init_weights(self.D)

    def loss_d(self, x, y, fake):
        """backward_D's terms (BCE(D(x, y), 1), BCE(D(x, fake.detach()), 0)); D's loss is half their sum."""
        bce = nn.BCEWithLogitsLoss()
        pred_fake = self.D(torch.cat((x, fake), 1).detach())
        pred_real = self.D(torch.cat((x, y), 1))
        return bce(pred_real, torch.ones_like(pred_real)), bce(pred_fake, torch.zeros_like(pred_fake))

    def loss_g(self, x, y, fake):
        """backward_G's terms (BCE(D(x, fake), 1), |fake - y|); G's loss is GAN + lambda_L1 L1."""
        pred_fake = self.D(torch.cat((x, fake), 1))
        gan = nn.BCEWithLogitsLoss()(pred_fake, torch.ones_like(pred_fake))
        return gan, nn.functional.l1_loss(fake, y)


class CycleGan:
    """cycle_gan_model.py's four networks, init_weights applied: G_A (ours G_AB), G_B (G_BA), D_A
    judging domain B (ours D_B) and D_B judging A (ours D_A), and its two objectives (LSGAN)."""

    def __init__(self, ngf, blocks, ndf, layers):
        self.G_A = ResnetGenerator(3, 3, ngf, blocks)
        self.G_B = ResnetGenerator(3, 3, ngf, blocks)
        self.D_A = NLayerDiscriminator(3, ndf, layers)
        self.D_B = NLayerDiscriminator(3, ndf, layers)
        for net in (self.G_A, self.G_B, self.D_A, self.D_B):
            init_weights(net)

    def g_parameters(self):
        return itertools.chain(self.G_A.parameters(), self.G_B.parameters())

    def d_parameters(self):
        return itertools.chain(self.D_A.parameters(), self.D_B.parameters())

    def loss_g(self, real_A, real_B, lam_cyc, lam_idt):
        """forward() and backward_G: returns (loss_G, [G_A, G_B, cycle_A, cycle_B, idt_A, idt_B]
        in the reference's names, fake_A, fake_B). The Ds' gradients are the caller's to drop."""
        l1 = nn.L1Loss()
        fake_B = self.G_A(real_A)
        rec_A = self.G_B(fake_B)
        fake_A = self.G_B(real_B)
        rec_B = self.G_A(fake_A)
        loss_idt_A = l1(self.G_A(real_B), real_B)  # ours: identity B = |G_AB(b) - b|
        loss_idt_B = l1(self.G_B(real_A), real_A)  # ours: identity A = |G_BA(a) - a|
        loss_G_A = lsgan(self.D_A(fake_B), True)
        loss_G_B = lsgan(self.D_B(fake_A), True)
        loss_cycle_A = l1(rec_A, real_A)
        loss_cycle_B = l1(rec_B, real_B)
        loss_G = (loss_G_A + loss_G_B + lam_cyc * (loss_cycle_A + loss_cycle_B)
                  + lam_cyc * lam_idt * (loss_idt_A + loss_idt_B))
        terms = [loss_G_A, loss_G_B, loss_cycle_A, loss_cycle_B, loss_idt_A, loss_idt_B]
        return loss_G, terms, fake_A, fake_B

    @staticmethod
    def loss_d(D, real, pooled):
        """backward_D_basic: 0.5 (LSGAN(D(real), 1) + LSGAN(D(pooled.detach()), 0))."""
        return 0.5 * (lsgan(D(real), True) + lsgan(D(pooled.detach()), False))


# ------------------------------------------------------------------------------------------
# UNIT: PyTorch-GAN's implementations/unit/models.py, module for module, with n_downsample 2 and
# the widths and D depth as settings (dim, n_blocks, ndf, d_layers). InstanceNorm2d as there
# (affine=False); biases keep PyTorch's default init (weights_init_normal sets conv weights only).
# ------------------------------------------------------------------------------------------
class UnitResidualBlock(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.conv_block = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(features, features, 3), nn.InstanceNorm2d(features), nn.ReLU(inplace=True),
            nn.ReflectionPad2d(1), nn.Conv2d(features, features, 3), nn.InstanceNorm2d(features))

    def forward(self, x):
        return x + self.conv_block(x)


class UnitEncoder(nn.Module):
    """Encoder; forward(x, noise) returns (mu, mu + noise): the reference draws the noise with
    numpy inside reparameterization, ours is handed in so a step replays exactly."""

    def __init__(self, dim, n_blocks, shared_block, n_downsample=2):
        super().__init__()
        layers = [nn.ReflectionPad2d(3), nn.Conv2d(3, dim, 7), nn.InstanceNorm2d(dim), nn.LeakyReLU(0.2, inplace=True)]
        for _ in range(n_downsample):
            layers += [nn.Conv2d(dim, dim * 2, 4, stride=2, padding=1), nn.InstanceNorm2d(dim * 2), nn.ReLU(inplace=True)]
            dim *= 2
        for _ in range(n_blocks):
            layers += [UnitResidualBlock(dim)]
        self.model_blocks = nn.Sequential(*layers)
        self.shared_block = shared_block

    def forward(self, x, noise):
        mu = self.shared_block(self.model_blocks(x))
        return mu, mu + noise


class UnitGenerator(nn.Module):
    def __init__(self, dim, n_blocks, shared_block, n_upsample=2):
        super().__init__()
        self.shared_block = shared_block
        dim = dim * 2 ** n_upsample
        layers = [UnitResidualBlock(dim) for _ in range(n_blocks)]
        for _ in range(n_upsample):
            layers += [nn.ConvTranspose2d(dim, dim // 2, 4, stride=2, padding=1), nn.InstanceNorm2d(dim // 2),
                       nn.LeakyReLU(0.2, inplace=True)]
            dim = dim // 2
        layers += [nn.ReflectionPad2d(3), nn.Conv2d(dim, 3, 7), nn.Tanh()]
        self.model_blocks = nn.Sequential(*layers)

    def forward(self, x):
        return self.model_blocks(self.shared_block(x))


class UnitDiscriminator(nn.Module):
    def __init__(self, ndf, n_layers):
        super().__init__()
        layers, channels = [], 3
        for n in range(n_layers):
            layers += [nn.Conv2d(channels, ndf * 2 ** n, 4, stride=2, padding=1)]
            if n > 0:
                layers += [nn.InstanceNorm2d(ndf * 2 ** n)]
            layers += [nn.LeakyReLU(0.2, inplace=True)]
            channels = ndf * 2 ** n
        layers += [nn.Conv2d(channels, 1, 3, padding=1)]
        self.model = nn.Sequential(*layers)

    def forward(self, img):
        return self.model(img)


def unit_weights_init_normal(m):
    """weights_init_normal: conv weights N(0, 0.02); biases as PyTorch made them."""
    if m.__class__.__name__.find('Conv') != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)


class Unit:
    """The six networks of unit.py, built as there (shared blocks made once, passed to both)."""

    def __init__(self, dim, n_blocks, ndf, d_layers, n_downsample=2):
        shared_dim = dim * 2 ** n_downsample
        self.shared_E = UnitResidualBlock(shared_dim)
        self.E1 = UnitEncoder(dim, n_blocks, self.shared_E, n_downsample)
        self.E2 = UnitEncoder(dim, n_blocks, self.shared_E, n_downsample)
        self.shared_G = UnitResidualBlock(shared_dim)
        self.G1 = UnitGenerator(dim, n_blocks, self.shared_G, n_downsample)
        self.G2 = UnitGenerator(dim, n_blocks, self.shared_G, n_downsample)
        self.D1 = UnitDiscriminator(ndf, d_layers)
        self.D2 = UnitDiscriminator(ndf, d_layers)
        for net in (self.E1, self.E2, self.G1, self.G2, self.D1, self.D2):
            net.apply(unit_weights_init_normal)

    def g_parameters(self):
        """itertools.chain(E1, E2, G1, G2 parameters) as unit.py; Adam sees a shared tensor once."""
        seen, out = set(), []
        for net in (self.E1, self.E2, self.G1, self.G2):
            for p in net.parameters():
                if id(p) not in seen:
                    seen.add(id(p))
                    out.append(p)
        return out

    def step_g(self, x1, x2, noise, lambdas=(10, 0.1, 100, 0.1, 100)):
        """unit.py's E/G losses: returns (total, the ten unweighted terms, fake_X1, fake_X2)."""
        l0, l1_, l2, l3, l4 = lambdas
        mse, pix = nn.MSELoss(), nn.L1Loss()
        n1, n2, n1c, n2c = noise
        mu1, Z1 = self.E1(x1, n1)
        mu2, Z2 = self.E2(x2, n2)
        recon_X1, recon_X2 = self.G1(Z1), self.G2(Z2)
        fake_X1, fake_X2 = self.G1(Z2), self.G2(Z1)
        mu1_, Z1_ = self.E1(fake_X1, n1c)
        mu2_, Z2_ = self.E2(fake_X2, n2c)
        cycle_X1, cycle_X2 = self.G1(Z2_), self.G2(Z1_)
        p1, p2 = self.D1(fake_X1), self.D2(fake_X2)
        kl = lambda mu: torch.mean(torch.pow(mu, 2))  # noqa: E731
        terms = [mse(p1, torch.ones_like(p1)), mse(p2, torch.ones_like(p2)), kl(mu1), kl(mu2),
                 pix(recon_X1, x1), pix(recon_X2, x2), kl(mu1_), kl(mu2_), pix(cycle_X1, x1), pix(cycle_X2, x2)]
        weights = [l0, l0, l1_, l1_, l2, l2, l3, l3, l4, l4]
        total = sum(w * t for w, t in zip(weights, terms))
        return total, terms, fake_X1, fake_X2

    def update_g(self, opt_G, x1, x2, noise, lambdas=(10, 0.1, 100, 0.1, 100)):
        """One step of opt_G on step_g's total, the Ds frozen (unit.py lets their gradients
        accumulate and zeroes them before their own steps: the same updates). Returns the ten
        terms and the translations (fake_X1, fake_X2) for the D steps."""
        for D in (self.D1, self.D2):
            D.requires_grad_(False)
        opt_G.zero_grad()
        total, terms, fake_X1, fake_X2 = self.step_g(x1, x2, noise, lambdas)
        total.backward()
        opt_G.step()
        for D in (self.D1, self.D2):
            D.requires_grad_(True)
        return terms, fake_X1, fake_X2

    def update_d(self, opt_D1, opt_D2, x1, x2, fake_X1, fake_X2):
        """D1's step, then D2's, each its own Adam, as unit.py; returns [loss_D1, loss_D2]."""
        losses = []
        for D, opt, real, fake in ((self.D1, opt_D1, x1, fake_X1), (self.D2, opt_D2, x2, fake_X2)):
            opt.zero_grad()
            loss = self.loss_d(D, real, fake)
            loss.backward()
            opt.step()
            losses.append(loss)
        return losses

    def loss_d(self, D, real, fake):
        """MSE(D(real), valid) + MSE(D(fake.detach()), fake): not halved, as unit.py."""
        mse = nn.MSELoss()
        pr, pf = D(real), D(fake.detach())
        return mse(pr, torch.ones_like(pr)) + mse(pf, torch.zeros_like(pf))
