"""Networks: MLPs for 1-D/2-D data, DCGAN-class conv nets (Radford 2015) for 8/16/28/32-pixel images,
class-conditional versions (Mirza & Osindero 2014: the one-hot label is concatenated to G's input and to D's
input), the LS-GAN loss function L ≥ 0 and the CLS-GAN one (Qi 2017) whose class of minimal loss is its
classification.

Every discriminator returns scores of shape (n,); conditional ones take (x, y) with integer labels y.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def mlp(n_in, n_out, width=128, depth=3):
    """depth Linear layers with LeakyReLU(0.2) between them."""
    layers, n = [], n_in
    for _ in range(depth - 1):
        layers += [nn.Linear(n, width), nn.LeakyReLU(0.2)]
        n = width
    return nn.Sequential(*layers, nn.Linear(n, n_out))


def one_hot(y, n_classes):
    return F.one_hot(y, n_classes).float()


class MLPGenerator(nn.Module):
    """z (and one-hot y) → a point in R^dim."""

    def __init__(self, dim, nz=2, n_classes=0, width=128, depth=3):
        super().__init__()
        self.nz, self.n_classes = nz, n_classes
        self.net = mlp(nz + n_classes, dim, width, depth)

    def forward(self, z, y=None):
        return self.net(z if y is None else torch.cat([z, one_hot(y, self.n_classes)], 1))


class MLPDiscriminator(nn.Module):
    """x (and one-hot y) → n_out scores; n_out = 1 gives the usual (n,) scores."""

    def __init__(self, dim, n_classes=0, width=128, depth=3, n_out=1):
        super().__init__()
        self.n_classes, self.n_out = n_classes, n_out
        self.net = mlp(dim + n_classes, n_out, width, depth)

    def forward(self, x, y=None):
        out = self.net(x if y is None else torch.cat([x, one_hot(y, self.n_classes)], 1))
        return out.squeeze(1) if self.n_out == 1 else out


class Maxout(nn.Module):
    """Linear to n_out·k values, then the max of each group of k (Goodfellow 2013): max_j (W_j x + b_j)."""

    def __init__(self, n_in, n_out, k=5):
        super().__init__()
        self.k, self.linear = k, nn.Linear(n_in, n_out * k)

    def forward(self, x):
        return self.linear(x).unflatten(1, (-1, self.k)).amax(2)


def toy_init(module):
    """PacGAN's initialisation of its 2-D nets (its code's weights_init_std, biases_init): Linear weights
    N(0, 0.02²), biases 0."""
    if isinstance(module, nn.Linear):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)


class ToyGenerator(nn.Module):
    """PacGAN's 2-D generator (Lin 2018): z → 4 × [Linear(width) + BatchNorm + ReLU] → Linear to R^dim, with
    its code's initialisation (`toy_init`) and no bias before BatchNorm (the shift β takes its place);
    batchnorm=False leaves the BN layers out and keeps the biases."""

    def __init__(self, dim, nz=2, width=400, depth=4, batchnorm=True):
        super().__init__()
        self.nz, self.n_classes, layers, n = nz, 0, [], nz
        for _ in range(depth):
            norm = nn.BatchNorm1d(width) if batchnorm else nn.Identity()
            layers += [nn.Linear(n, width, bias=not batchnorm), norm, nn.ReLU()]
            n = width
        self.net = nn.Sequential(*layers, nn.Linear(n, dim))
        self.apply(toy_init)

    def forward(self, z, y=None):
        return self.net(z)


class ToyDiscriminator(nn.Module):
    """PacGAN's 2-D discriminator: 3 × Maxout(width, 5 pieces) → Linear to a score, initialised by `toy_init`;
    `pack` samples are concatenated into one input of pack·dim values (PacGAN packing), so n samples give
    n / pack scores."""

    def __init__(self, dim, width=200, depth=3, pack=1):
        super().__init__()
        self.pack, layers, n = pack, [], dim * pack
        for _ in range(depth):
            layers.append(Maxout(n, width))
            n = width
        self.net = nn.Sequential(*layers, nn.Linear(n, 1))
        self.apply(toy_init)

    def forward(self, x, y=None):
        return self.net(x.reshape(x.shape[0] // self.pack, -1)).squeeze(1)


class GaussianNoise(nn.Module):
    """x + σ·ε with ε ~ N(0, I) in training mode, x in eval mode (Salimans 2016's regulariser of D)."""

    def __init__(self, sigma):
        super().__init__()
        self.sigma = sigma

    def forward(self, x):
        return x + self.sigma * torch.randn_like(x) if self.training and self.sigma > 0 else x


def _start(size):
    """Spatial size the conv stacks start/end at: 7 for 28 pixels, 4 for powers of two (8, 16, 32)."""
    if size == 28:
        return 7
    if size >= 8 and 2 ** round(math.log2(size)) == size:
        return 4
    raise ValueError(f"DCGAN nets support 8, 16, 28 or 32 pixels, got {size}")


def _norm(kind, ch):
    return {"batch": nn.BatchNorm2d, "layer": lambda c: nn.GroupNorm(1, c), "none": lambda c: nn.Identity()}[kind](ch)


class DCGANGenerator(nn.Module):
    """z → Linear to (width·2^(L−1), s, s) → L × [ConvTranspose(4, stride 2) + BN + ReLU] → tanh image;
    batchnorm=False leaves the BN layers out (Qi 2017's LS-GAN-without-BatchNorm experiment)."""

    def __init__(self, size=32, channels=1, nz=64, n_classes=0, width=64, batchnorm=True):
        super().__init__()
        self.nz, self.n_classes, s = nz, n_classes, _start(size)
        blocks = round(math.log2(size // s))
        ch = width * 2 ** (blocks - 1)
        self.head = nn.Sequential(
            nn.Linear(nz + n_classes, ch * s * s),
            nn.Unflatten(1, (ch, s, s)),
            nn.BatchNorm2d(ch) if batchnorm else nn.Identity(),
            nn.ReLU(True),
        )
        layers = []
        for i in range(blocks):
            out = channels if i == blocks - 1 else ch // 2
            last = i == blocks - 1
            layers.append(nn.ConvTranspose2d(ch, out, 4, 2, 1, bias=last or not batchnorm))
            layers += [nn.Tanh()] if last else [nn.BatchNorm2d(out) if batchnorm else nn.Identity(), nn.ReLU(True)]
            ch = out
        self.body = nn.Sequential(*layers)

    def forward(self, z, y=None):
        return self.body(self.head(z if y is None else torch.cat([z, one_hot(y, self.n_classes)], 1)))


class DCGANDiscriminator(nn.Module):
    """image (and label planes) → L × [Conv(4, stride 2) + norm + LeakyReLU(0.2)] → Linear to n_out scores.

    norm: "batch" (DCGAN), "layer" (per-sample, needed by gradient penalties, Gulrajani 2017) or "none".
    noise (σ_in, σ_hidden): Gaussian noise on the input and after each block in training mode (Salimans 2016).
    """

    def __init__(self, size=32, channels=1, n_classes=0, width=64, norm="batch", n_out=1, noise=(0.0, 0.0)):
        super().__init__()
        self.n_classes, self.n_out, s = n_classes, n_out, _start(size)
        blocks = round(math.log2(size // s))
        layers, ch = [GaussianNoise(noise[0])] if noise[0] > 0 else [], channels + n_classes
        for i in range(blocks):
            out = width * 2**i
            layers.append(nn.Conv2d(ch, out, 4, 2, 1, bias=i == 0 or norm == "none"))
            layers += ([] if i == 0 else [_norm(norm, out)]) + [nn.LeakyReLU(0.2, True)]
            layers += [GaussianNoise(noise[1])] if noise[1] > 0 else []
            ch = out
        self.body = nn.Sequential(*layers, nn.Flatten(), nn.Linear(ch * s * s, n_out))

    def features(self, x):
        """The flattened activations the last Linear layer reads (n, width·2^(L−1)·s²): feature matching's."""
        return self.body[:-1](x)

    def forward(self, x, y=None):
        if y is not None:
            planes = one_hot(y, self.n_classes)[:, :, None, None].expand(-1, -1, *x.shape[2:])
            x = torch.cat([x, planes.to(x.dtype)], 1)
        out = self.body(x)
        return out.squeeze(1) if self.n_out == 1 else out


class NonNegative(nn.Module):
    """The LS-GAN loss function L(x) = softplus(a(x)) ≥ 0 (Qi 2017 asks L ≥ 0; his code uses ReLU, whose flat
    half can leave L at 0 with no gradient). `body` maps x (and y) to scores a(x) of shape (n,)."""

    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, x, y=None):
        return F.softplus(self.body(x) if y is None else self.body(x, y))


class CLSDiscriminator(nn.Module):
    """CLS-GAN loss function L(x, y) = −log P(y | x) = −a_y(x) + log(1 + Σ_k exp a_k(x)) ≥ 0 (Qi 2017): the K
    class logits a(x) and an implicit generated class of logit 0, so a sample that looks like class y can still
    get a large loss for y by lowering every logit. The class of minimal loss, argmax a(x), classifies x;
    `marginal` is the loss of unlabelled x, −log Σ_y exp(−L(x, y)) = −log P(real | x) = softplus(−logsumexp a).
    `body` maps x to n_classes logits a(x)."""

    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, x, y):
        a = self.body(x)
        return F.softplus(a.logsumexp(1)) - a.gather(1, y[:, None]).squeeze(1)

    def losses(self, x):
        """L(x, y) for every class y: (n, n_classes)."""
        a = self.body(x)
        return F.softplus(a.logsumexp(1))[:, None] - a

    def marginal(self, x):
        return F.softplus(-self.body(x).logsumexp(1))

    def fake_loss(self, x):
        """−log P(generated | x) = −log(1 − e^(−marginal(x))) = softplus(logsumexp a)."""
        return F.softplus(self.body(x).logsumexp(1))

    def features(self, x):
        return self.body.features(x)

    def classify(self, x):
        return self.losses(x).argmin(1)


def init_weights(module):
    """DCGAN initialisation: conv weights N(0, 0.02), norm scales N(1, 0.02), biases 0."""
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, (nn.BatchNorm2d, nn.GroupNorm)):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
