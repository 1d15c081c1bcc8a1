import numpy as np
import pytest
import torch
from torch import nn

from models.convergence import effective
from models.convergence.engine import DiracD, DiracG, Setup, build, normal_quantiles, train
from models.nets import MLPDiscriminator, MLPGenerator

IDX = {name: i for i, name in enumerate(effective.NAMES)}


class Smooth(nn.Module):
    """A tanh MLP with scores (n,): smooth, so D''(0) exists and finite differences find it."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, 6), nn.Tanh(), nn.Linear(6, 6), nn.Tanh(), nn.Linear(6, 1))

    def forward(self, x):
        return self.net(x)[:, 0]


def probes(n: int, data_std: float) -> dict:
    q = normal_quantiles(n, torch.float64)[:, None]
    return {"z": q, "x": data_std * q, "w": torch.full((n,), 1.0 / n, dtype=torch.float64)}


def params(m: nn.Module) -> dict:
    return {k: v.detach() for k, v in m.named_parameters()}


def scalar(D, x: float) -> float:
    with torch.no_grad():
        return float(D(torch.tensor([[x]], dtype=torch.float64))[0])


def samples(G, p) -> np.ndarray:
    with torch.no_grad():
        return G(p["z"])[:, 0].numpy()


def read(G, D, p) -> dict:
    out = effective.read(G, D, params(G), params(D), p)
    return {name: float(out[i]) for name, i in IDX.items()}


@pytest.fixture
def nets_():
    torch.manual_seed(3)
    return MLPGenerator(1, nz=1, width=8).double(), MLPDiscriminator(1, width=8).double()


def test_slope_and_offset_match_finite_differences(nets_):
    G, D = nets_
    got = read(G, D, probes(64, 0.01))
    eps = 1e-6
    assert got["psi"] == pytest.approx((scalar(D, eps) - scalar(D, -eps)) / (2 * eps), rel=1e-6)
    assert got["offset"] == pytest.approx(scalar(D, 0.0), rel=1e-12)


def test_curvature_is_d2_at_zero_for_a_smooth_d_on_a_narrow_span():
    torch.manual_seed(0)
    G, D = MLPGenerator(1, nz=1, width=8).double(), Smooth().double()
    with torch.no_grad():
        for p in G.parameters():
            p.mul_(1e-4)  # G's samples within ±1e-3 of 0, like the data
    got = read(G, D, probes(64, 1e-4))
    eps = 1e-4
    second = (scalar(D, eps) - 2 * scalar(D, 0.0) + scalar(D, -eps)) / eps**2
    assert abs(second) > 1e-2
    assert got["curvature"] == pytest.approx(second, rel=1e-3)


def test_curvature_is_the_least_squares_slope_of_d_prime_over_the_samples(nets_):
    G, D = nets_
    p = probes(32, 1.0)
    got = read(G, D, p)
    xs = np.concatenate([p["x"][:, 0].numpy(), samples(G, p)])
    eps = 1e-7
    slopes = np.array([(scalar(D, x + eps) - scalar(D, x - eps)) / (2 * eps) for x in xs])
    assert got["curvature"] == pytest.approx(np.polyfit(xs, slopes, 1)[0], rel=1e-5, abs=1e-8)
    assert abs(got["curvature"]) > 1e-3  # a LeakyReLU D is curved over a wide span, though D'' = 0 between kinks


def test_generator_offset_and_spread_are_the_mean_and_std_of_its_probe_samples(nets_):
    G, D = nets_
    p = probes(50, 0.01)
    got = read(G, D, p)
    out = samples(G, p)
    assert got["theta"] == pytest.approx(out.mean(), rel=1e-12)
    assert got["spread"] == pytest.approx(out.std(), rel=1e-10)


def test_gains_are_squared_weight_gradients_by_plain_autograd(nets_):
    G, D = nets_
    p = probes(40, 0.01)
    got = read(G, D, p)
    theta = G(p["z"])[:, 0].mean()
    g_theta = torch.autograd.grad(theta, list(G.parameters()))
    x = torch.zeros(1, 1, dtype=torch.float64, requires_grad=True)
    score = D(x)[0]
    (slope,) = torch.autograd.grad(score, x, create_graph=True)
    g_slope = torch.autograd.grad(slope[0, 0], list(D.parameters()), retain_graph=True, allow_unused=True)
    g_offset = torch.autograd.grad(score, list(D.parameters()))
    sq = lambda gs: sum(float((g**2).sum()) for g in gs if g is not None)  # noqa: E731
    assert got["gain_g"] == pytest.approx(sq(g_theta), rel=1e-10)
    assert got["gain_d"] == pytest.approx(sq(g_slope), rel=1e-10)
    assert got["gain_offset"] == pytest.approx(sq(g_offset), rel=1e-10)


def test_the_dirac_gan_reads_as_itself():
    G, D = DiracG(), DiracD()
    with torch.no_grad():
        G.theta.fill_(0.3)
        D.psi.fill_(-0.7)
    one = torch.ones(1, 1, dtype=torch.float64)
    got = read(G, D, {"z": one, "x": 0 * one, "w": torch.ones(1, dtype=torch.float64)})
    want = {"psi": -0.7, "curvature": 0, "offset": 0, "theta": 0.3, "spread": 0, "gain_g": 1, "gain_d": 1}
    assert {k: got[k] for k in want} == pytest.approx(want, abs=1e-12)
    assert got["gain_offset"] == 0


def test_the_engine_reads_every_cell_at_start_and_end_as_one_cell_alone():
    setup = Setup(family="mlp", steps=16, data_std=0.01)
    trace = train(setup, [0.1, 0.5, 1.0], [0.3, 1.0, 3.0], [0, 5, 7])
    assert trace.start.shape == trace.end.shape == (3, len(effective.NAMES))
    G, D = build(setup, 5)
    q = normal_quantiles(256)[:, None]
    alone = effective.read(G, D, params(G), params(D), {"z": q, "x": 0.01 * q, "w": torch.full((256,), 1 / 256)})
    np.testing.assert_allclose(trace.start[1], alone.numpy(), rtol=1e-4, atol=1e-6)
    assert trace.end[:, IDX["theta"]] == pytest.approx(trace.mean[:, -1], rel=1e-5)
    assert not np.allclose(trace.end, trace.start)
