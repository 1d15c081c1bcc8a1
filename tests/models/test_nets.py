"""Network shapes, conditioning, and the CLS-GAN classification rule."""

import math

import pytest
import torch

from models import nets


@pytest.mark.parametrize("size", [8, 16, 28, 32])
def test_dcgan_shapes_and_range(size):
    G, D = nets.DCGANGenerator(size, 1, 16, width=8), nets.DCGANDiscriminator(size, 1, width=8, norm="layer")
    x = G(torch.randn(5, 16))
    assert x.shape == (5, 1, size, size) and x.abs().max() <= 1 and D(x).shape == (5,)


def test_unsupported_size():
    with pytest.raises(ValueError, match="8, 16, 28 or 32"):
        nets.DCGANGenerator(30)


def test_conditional_nets_use_the_label():
    torch.manual_seed(0)
    G, D = nets.DCGANGenerator(8, 1, 4, n_classes=10, width=8), nets.DCGANDiscriminator(8, 1, 10, width=8)
    G.eval()
    D.eval()
    z = torch.randn(1, 4).repeat(2, 1)
    x = G(z, torch.tensor([1, 2]))
    assert not torch.allclose(x[0], x[1])
    assert D(x[:1].repeat(2, 1, 1, 1), torch.tensor([1, 2])).unique().numel() == 2
    M = nets.MLPDiscriminator(2, n_classes=3)
    assert M(torch.zeros(3, 2), torch.tensor([0, 1, 2])).unique().numel() == 3


def test_cls_loss_is_minimal_at_the_predicted_class():
    torch.manual_seed(0)
    D = nets.CLSDiscriminator(nets.MLPDiscriminator(2, n_out=4))
    x = torch.randn(50, 2)
    losses = torch.stack([D(x, torch.full((50,), k)) for k in range(4)], 1)
    assert torch.allclose(losses, D.losses(x))
    assert torch.equal(losses.argmin(1), D.classify(x))
    real = torch.exp(-losses).sum(1)  # P(real | x) < 1: the implicit generated class takes the rest
    assert (losses >= 0).all() and (real < 1).all() and torch.allclose(D.marginal(x), -torch.log(real))


class Logits(torch.nn.Module):
    def __init__(self, a):
        super().__init__()
        self.a = torch.tensor(a)

    def forward(self, x):
        return self.a.expand(len(x), -1)


def test_cls_loss_on_hand_computed_logits():
    """a = (0, log 3): Z = 1 + 3, L(x, 0) = log 5, L(x, 1) = log(5/3), marginal −log(4/5); class 1 wins."""
    D = nets.CLSDiscriminator(Logits([0.0, math.log(3.0)]))
    x = torch.zeros(2, 1)
    assert D(x, torch.tensor([0, 1])).tolist() == pytest.approx([math.log(5), math.log(5 / 3)], rel=1e-6)
    assert D.marginal(x).tolist() == pytest.approx([math.log(5 / 4)] * 2, rel=1e-6)
    assert D.classify(x).tolist() == [1, 1]
    assert D.fake_loss(x).tolist() == pytest.approx([math.log(5)] * 2, rel=1e-6)  # P(generated | x) = 1/5


def test_dcgan_init():
    torch.manual_seed(0)
    D = nets.DCGANDiscriminator(32, 1, width=64).apply(nets.init_weights)
    w = D.body[2].weight
    assert w.std().item() == pytest.approx(0.02, rel=0.05) and abs(w.mean().item()) < 1e-3


def test_ls_gan_loss_function_is_softplus_of_the_scores():
    torch.manual_seed(0)
    body = nets.MLPDiscriminator(2, width=8)
    x = torch.randn(20, 2)
    L = nets.NonNegative(body)(x)
    assert (L >= 0).all() and torch.allclose(L, torch.log1p(torch.exp(body(x))))


def test_packed_discriminator_scores_m_samples_concatenated():
    torch.manual_seed(0)
    packed = nets.ToyDiscriminator(2, width=16, pack=3)
    x = torch.randn(12, 2)
    scores = packed(x)
    assert scores.shape == (4,)
    by_hand = torch.cat([packed.net(torch.cat([x[3 * i], x[3 * i + 1], x[3 * i + 2]])[None])[0] for i in range(4)])
    torch.testing.assert_close(scores, by_hand)


def test_pack_one_is_the_unpacked_discriminator():
    torch.manual_seed(0)
    d = nets.ToyDiscriminator(2, width=16)
    x = torch.randn(5, 2)
    torch.testing.assert_close(d(x), d.net(x).squeeze(1))


def test_maxout_is_the_max_over_pieces():
    torch.manual_seed(0)
    m = nets.Maxout(3, 2, k=4)
    x = torch.randn(6, 3)
    pieces = (x @ m.linear.weight.T + m.linear.bias).reshape(6, 2, 4)
    torch.testing.assert_close(m(x), pieces.max(2).values)


def test_toy_nets_start_as_pacgans_code_does():
    """Linear weights N(0, 0.02²), biases 0; no bias before BatchNorm (the BN shift replaces it)."""
    torch.manual_seed(0)
    G, D = nets.ToyGenerator(2, nz=2, width=400), nets.ToyDiscriminator(2, width=200)
    linears = [m for m in [*G.modules(), *D.modules()] if isinstance(m, torch.nn.Linear)]
    assert len(linears) == 5 + 4
    weights = torch.cat([m.weight.flatten() for m in linears])
    assert weights.std().item() == pytest.approx(0.02, rel=0.01) and abs(weights.mean().item()) < 1e-4
    assert all(m.bias is None or not m.bias.any() for m in linears)
    assert [m.bias is None for m in G.net if isinstance(m, torch.nn.Linear)] == [True] * 4 + [False]
    plain = nets.ToyGenerator(2, batchnorm=False)
    assert all(m.bias is not None for m in plain.net if isinstance(m, torch.nn.Linear))


def test_gaussian_noise_adds_sigma_times_a_standard_normal_in_training_only():
    layer, x = nets.GaussianNoise(0.5), torch.ones(4, 3)
    torch.manual_seed(7)
    out = layer(x)
    torch.manual_seed(7)
    assert torch.equal(out, x + 0.5 * torch.randn(4, 3))
    assert torch.equal(layer.eval()(x), x)
    assert torch.equal(nets.GaussianNoise(0.0)(x), x)


def test_noisy_discriminator_has_noise_before_each_block_and_features_feed_the_last_layer():
    torch.manual_seed(0)
    D = nets.DCGANDiscriminator(28, 1, width=4, norm="layer", n_out=10, noise=(0.3, 0.5))
    sigmas = [m.sigma for m in D.body if isinstance(m, nets.GaussianNoise)]
    assert sigmas == [0.3, 0.5, 0.5]
    D.eval()
    x = torch.randn(3, 1, 28, 28)
    f = D.features(x)
    linear = D.body[-1]
    assert f.shape == (3, 8 * 7 * 7) and torch.allclose(D(x), f @ linear.weight.T + linear.bias, atol=1e-6)
    assert torch.equal(nets.CLSDiscriminator(D).features(x), f)
    D.train()
    assert not torch.allclose(D(x), D(x))
