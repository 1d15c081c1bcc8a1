"""Many GANs trained at once: every cell of a grid is one GAN with its own learning rate h and regularizer weight
γ (σ for instance noise), and all of them advance together in one vectorized computation.

One GAN's round is a pure function of its parameters (`Game.round`): the players' descent directions come from
torch.func.grad through models.losses / models.regularizers (the torch backend's objectives, under the core's
names), and the optimizer step is written out on those directions. `torch.func.vmap` maps that one function
over the stacked parameters of all cells (`stack_module_state`), so a grid of 256 GANs costs one call per round;
`train(..., vectorized=False)` runs the very same function one GAN at a time (the baseline of the benchmarks).

Families: `dirac` is the Dirac-GAN as torch modules (G = θ, D(x) = ψ·x, data at 0, start (1, 1); instance
noise as an exact Gauss–Hermite expectation, so the run is deterministic); `mlp` is an MLP generator and
discriminator (models.nets) on 1-D data N(0, s²), with G's output shifted by +1 at the start (its mean starts
near 1, as θ₀ = 1), trained on minibatches.

Every random number a cell uses (its initial weights, its data, latent codes and noise) is drawn from a stream
seeded by (seed, the cell's index in the grid) alone, so how the grid is cut into chunks (or Ray tasks) does not
change any cell's result.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.func import functional_call, grad, stack_module_state, vmap

from dynamics.dirac.objectives import REGULARIZERS_BY_NAME
from models import nets
from models.convergence import effective
from models.losses import gen_loss, input_grad
from models.regularizers import objectives

FAMILIES = ("dirac", "mlp")
OPTIMIZERS = ("sgd", "momentum", "extragradient")  # the torch backend's names that the core can predict
MOMENTUM = 0.9  # as models.trainer.make_optimizer
BLOCK = 64  # rounds of random numbers drawn per cell at a time
HERMITE_NODES = 20  # per noise coordinate: the dirac family's instance-noise expectation is exact for it
PROBES = 256  # quantiles of N(0, 1) at which G and D are read


@dataclass(frozen=True)
class Setup:
    """What every GAN of a grid shares: the family, objective, optimizer and scheme, and the run length."""

    family: str = "dirac"
    loss: str = "gan"
    reg: str = "r1"
    optimizer: str = "sgd"
    scheme: str = "sim"
    steps: int = 2000
    seed: int = 0
    data_std: float = 0.01  # mlp: the data are N(0, data_std²)
    width: int = 16  # mlp: hidden units per layer
    batch: int = 64  # mlp: samples per round

    @property
    def param(self) -> str:
        """The grid's second axis: σ for instance noise, else γ."""
        return "sigma" if REGULARIZERS_BY_NAME[self.reg].noisy else "gamma"

    @property
    def target_std(self) -> float:
        return 0.0 if self.family == "dirac" else self.data_std


@dataclass(frozen=True)
class Trace:
    """What was read from each GAN every `every` rounds: G's mean and std and the RMS of D's input gradient at
    the data, as arrays of shape (cells, records); record 0 is the start. `start` and `end`: the effective
    Dirac-GAN parameters (models.convergence.effective.NAMES) of each cell before and after training, (cells, 8)."""

    mean: np.ndarray
    std: np.ndarray
    grad: np.ndarray
    every: int
    start: np.ndarray
    end: np.ndarray

    @staticmethod
    def concat(traces: list[Trace]) -> Trace:
        """One trace of the cells of `traces`, in order."""
        join = {k: np.concatenate([getattr(t, k) for t in traces]) for k in ("mean", "std", "grad", "start", "end")}
        return Trace(every=traces[0].every, **join)

    def first(self, k: int) -> Trace:
        """The first k cells."""
        cut = {k_: getattr(self, k_)[:k] for k_ in ("mean", "std", "grad", "start", "end")}
        return Trace(every=self.every, **cut)


class DiracG(nn.Module):
    """G = θ: every latent code maps to the point θ."""

    def __init__(self):
        super().__init__()
        self.theta = nn.Parameter(torch.ones(1, dtype=torch.float64))

    def forward(self, z):
        return self.theta.expand(z.shape[0], 1)


class DiracD(nn.Module):
    """D(x) = ψ·x."""

    def __init__(self):
        super().__init__()
        self.psi = nn.Parameter(torch.ones(1, dtype=torch.float64))

    def forward(self, x):
        return self.psi * x[:, 0]


def cell_seed(seed: int, index: int) -> int:
    """The seed of one cell's random stream: a function of the grid seed and the cell's index only."""
    return (seed * 1_000_003 + index * 7919 + 1) % (2**62)


def build(setup: Setup, index: int) -> tuple[nn.Module, nn.Module]:
    """G and D of one cell, initialised from the cell's own seed (the dirac family starts at (θ, ψ) = (1, 1))."""
    if setup.family == "dirac":
        return DiracG(), DiracD()
    with torch.random.fork_rng():
        torch.manual_seed(cell_seed(setup.seed, index))
        G = nets.MLPGenerator(1, nz=1, width=setup.width)
        D = nets.MLPDiscriminator(1, width=setup.width)
    with torch.no_grad():
        G.net[-1].bias += 1.0
    return G, D


def normal_quantiles(n: int, dtype=torch.float32) -> torch.Tensor:
    """Φ⁻¹((i + ½)/n), i < n: a deterministic sample of N(0, 1) for reading G and D."""
    p = (torch.arange(n, dtype=torch.float64) + 0.5) / n
    return (math.sqrt(2) * torch.special.erfinv(2 * p - 1)).to(dtype)


def hermite_rule(nodes: int = HERMITE_NODES) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(z_real, z_fake, weights): the pairs and probability weights of a 2-D Gauss–Hermite rule for N(0, I)."""
    x, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / w.sum()
    zr, zf = (g.ravel() for g in np.meshgrid(x, x, indexing="ij"))
    return (torch.tensor(a, dtype=torch.float64) for a in (zr[:, None], zf[:, None], np.outer(w, w).ravel()))


def _axpy(a, x: dict, y: dict) -> dict:
    """x + a·y, leaf by leaf."""
    return {k: x[k] + a * y[k] for k in x}


def _tree(fn, tree):
    """fn on every tensor of nested tuples and dicts."""
    if isinstance(tree, dict):
        return {k: _tree(fn, v) for k, v in tree.items()}
    if isinstance(tree, tuple):
        return tuple(_tree(fn, v) for v in tree)
    return fn(tree)


def _half_sq(*trees) -> torch.Tensor:
    return 0.5 * sum(v.pow(2).sum() for tree in trees for v in tree.values())


class Game:
    """One GAN of a grid as pure functions of its parameters (pg, pd), its batch and its (h, γ or σ)."""

    def __init__(self, setup: Setup):
        self.setup = setup
        self.G, self.D = build(setup, 0)
        self.spec = REGULARIZERS_BY_NAME[setup.reg]
        self.consensus = self.spec.transform is not None

    def d_objective(self, pd, pg, batch, gamma, sigma):
        """What D maximizes: models.regularizers.objectives (consensus' term is added by `directions`)."""
        fake = functional_call(self.G, pg, (batch["z"],))
        D = lambda x: functional_call(self.D, pd, (x,))  # noqa: E731
        reg = "none" if self.consensus else self.setup.reg
        noise = (batch["n_real"], batch["n_fake"]) if self.spec.noisy else None
        obj, _ = objectives(
            self.setup.loss, reg, D, batch["real"], fake, gamma=gamma, sigma=sigma, weights=batch.get("w"), noise=noise
        )
        return obj

    def g_loss(self, pg, pd, batch, gamma, sigma):
        """What G minimizes: the loss on D's scores of G's (noisy, for instance noise) samples."""
        fake = functional_call(self.G, pg, (batch["z"],))
        if self.spec.noisy:
            fake = fake + sigma * batch["n_fake"]
        return gen_loss(self.setup.loss, functional_call(self.D, pd, (fake,)), batch.get("w"))

    def directions(self, pg, pd, batch, gamma, sigma, players: str) -> tuple[dict | None, dict | None]:
        """The descent directions (∇_G L_G, −∇_D L_D) of the players named in `players` ('g', 'd' or 'gd');
        consensus adds γ·∇½‖v‖² with v = (−∇_G L_G, ∇_D L_D) (models.regularizers, Mescheder 2017)."""
        dg = grad(self.g_loss)(pg, pd, batch, gamma, sigma) if "g" in players else None
        dd = grad(lambda p: -self.d_objective(p, pg, batch, gamma, sigma))(pd) if "d" in players else None
        if self.consensus:

            def half_sq(pg, pd):
                vg = grad(self.g_loss)(pg, pd, batch, gamma, sigma)
                vd = grad(self.d_objective)(pd, pg, batch, gamma, sigma)
                return _half_sq(vg, vd)

            hg, hd = grad(half_sq, argnums=(0, 1))(pg, pd)
            dg = None if dg is None else _axpy(gamma, dg, hg)
            dd = None if dd is None else _axpy(gamma, dd, hd)
        return dg, dd

    def step(self, state, batch, h, gamma, sigma, players: str):
        """One update of `players`, the others untouched (the core's dynamics.dirac.optimizers.step):
        sgd p ← p − h·d(p); momentum b ← 0.9·b + d(p), p ← p − h·b; extragradient p̃ = p − h·d(p),
        p ← p − h·d(p̃)."""
        pg, pd, bg, bd = state
        dg, dd = self.directions(pg, pd, batch, gamma, sigma, players)
        name = self.setup.optimizer
        if name == "extragradient":
            pg2 = pg if dg is None else _axpy(-h, pg, dg)
            pd2 = pd if dd is None else _axpy(-h, pd, dd)
            dg, dd = self.directions(pg2, pd2, batch, gamma, sigma, players)
        if name == "momentum":
            bg = bg if dg is None else _axpy(MOMENTUM, dg, bg)
            bd = bd if dd is None else _axpy(MOMENTUM, dd, bd)
            dg, dd = (None if dg is None else bg), (None if dd is None else bd)
        pg = pg if dg is None else _axpy(-h, pg, dg)
        pd = pd if dd is None else _axpy(-h, pd, dd)
        return pg, pd, bg, bd

    def round(self, state, batch, h, gamma, sigma):
        """One round: a simultaneous step of both players, or (scheme alt) G's step, then D's."""
        if self.setup.scheme == "sim":
            return self.step(state, batch, h, gamma, sigma, "gd")
        state = self.step(state, batch, h, gamma, sigma, "g")
        return self.step(state, batch, h, gamma, sigma, "d")

    def read(self, pg, pd, probes):
        """(mean, std) of G's samples and the RMS of ∇ₓD at the data, on the fixed probe points."""
        out = functional_call(self.G, pg, (probes["z"],))[:, 0]
        w = probes["w"]
        mean = (w * out).sum()
        std = (w * (out - mean) ** 2).sum().sqrt()
        g = input_grad(lambda x: functional_call(self.D, pd, (x,)), probes["x"])[:, 0]
        return torch.stack([mean, std, (w * g**2).sum().sqrt()])

    def effective(self, pg, pd, probes):
        """The effective Dirac-GAN parameters of the cell (models.convergence.effective)."""
        return effective.read(self.G, self.D, pg, pd, probes)


def _probes(setup: Setup) -> dict:
    """Points at which G and D are read: N(0, 1) quantiles for z and the data's quantiles for x (equal weights);
    the dirac family needs one point each (G is θ everywhere, D's gradient is ψ everywhere)."""
    if setup.family == "dirac":
        one = torch.ones(1, 1, dtype=torch.float64)
        return {"z": one, "x": 0 * one, "w": torch.ones(1, dtype=torch.float64)}
    q = normal_quantiles(PROBES)[:, None]
    return {"z": q, "x": setup.data_std * q, "w": torch.full((PROBES,), 1 / PROBES)}


def _fixed_batch(setup: Setup) -> dict:
    """The dirac family's batch: the point mass at 0 (and the Gauss–Hermite noise pairs for instance noise)."""
    if not REGULARIZERS_BY_NAME[setup.reg].noisy:
        zero = torch.zeros(1, 1, dtype=torch.float64)
        return {"real": zero, "z": zero}
    zr, zf, w = hermite_rule()
    return {"real": torch.zeros_like(zr), "z": torch.zeros_like(zr), "n_real": zr, "n_fake": zf, "w": w}


def _random_block(setup: Setup, index: int, block: int) -> dict:
    """BLOCK rounds of one mlp cell's batches (data, latent codes, instance noise), from its own stream."""
    gen = torch.Generator().manual_seed(cell_seed(setup.seed, index) + 104_729 * (block + 1))
    shape = (BLOCK, setup.batch, 1)
    out = {"real": setup.data_std * torch.randn(shape, generator=gen), "z": torch.randn(shape, generator=gen)}
    if REGULARIZERS_BY_NAME[setup.reg].noisy:
        out["n_real"], out["n_fake"] = torch.randn(shape, generator=gen), torch.randn(shape, generator=gen)
    return out


def train(
    setup: Setup,
    lr,
    param,
    index,
    vectorized: bool = True,
    records: int = 200,
    progress: Callable[[int], None] | None = None,
) -> Trace:
    """Train one GAN per (lr[i], param[i]) (grid cell index[i]) for setup.steps rounds; read every GAN
    `records` times (and at the start). All at once by vmap, or one after another when not `vectorized`.
    `progress(rounds_done)` is called after every BLOCK rounds (vectorized) or every GAN (one by one)."""
    lr, param, index = (np.atleast_1d(np.asarray(a)) for a in (lr, param, index))
    if vectorized and len(index) == 1:  # vmap over one cell takes other kernels (other rounding): pair it with itself
        twice = _train(setup, *(np.repeat(a, 2) for a in (lr, param, index)), records, progress)
        return twice.first(1)
    if vectorized:
        return _train(setup, lr, param, index, records, progress)
    parts = []
    for i in range(len(index)):
        parts.append(_train(setup, lr[i : i + 1], param[i : i + 1], index[i : i + 1], records, None, batched=False))
        if progress is not None:
            progress((i + 1) * setup.steps)
    return Trace.concat(parts)


def _train(setup, lr, param, index, records, progress, batched: bool = True) -> Trace:
    game = Game(setup)
    dtype = torch.float64 if setup.family == "dirac" else torch.float32
    n = len(index)
    models = [build(setup, int(i)) for i in index]
    pg = {k: v.detach() for k, v in stack_module_state([g for g, _ in models])[0].items()}
    pd = {k: v.detach() for k, v in stack_module_state([d for _, d in models])[0].items()}
    zeros = lambda p: {k: torch.zeros_like(v) for k, v in p.items()}  # noqa: E731
    state = (pg, pd, zeros(pg), zeros(pd))
    h = torch.tensor(lr, dtype=dtype)
    gamma = torch.tensor(param if setup.param == "gamma" else np.zeros(n), dtype=dtype)
    sigma = torch.tensor(param if setup.param == "sigma" else np.zeros(n), dtype=dtype)
    fixed = _fixed_batch(setup) if setup.family == "dirac" else None
    probes = _probes(setup)
    every = max(1, setup.steps // records)

    def mapped(fn, *args, in_dims):
        """fn over every cell by vmap, or (one by one) on the one cell alone, without vmap."""
        if batched:
            return vmap(fn, in_dims=in_dims)(*args)
        cut = [a if d is None else _tree(lambda t: t[0], a) for a, d in zip(args, in_dims, strict=True)]
        return _tree(lambda t: t[None], fn(*cut))

    reads = [mapped(game.read, pg, pd, probes, in_dims=(0, 0, None))]
    start = mapped(game.effective, pg, pd, probes, in_dims=(0, 0, None))
    batch_dims = None if fixed is not None else 0
    for t in range(setup.steps):
        if fixed is None and t % BLOCK == 0:
            blocks = [_random_block(setup, int(i), t // BLOCK) for i in index]
            stream = {k: torch.stack([b[k] for b in blocks]) for k in blocks[0]}
        batch = fixed if fixed is not None else {k: v[:, t % BLOCK] for k, v in stream.items()}
        state = mapped(game.round, state, batch, h, gamma, sigma, in_dims=(0, batch_dims, 0, 0, 0))
        if (t + 1) % every == 0:
            reads.append(mapped(game.read, state[0], state[1], probes, in_dims=(0, 0, None)))
        if progress is not None and (t + 1) % BLOCK == 0:
            progress(t + 1)
    end = mapped(game.effective, state[0], state[1], probes, in_dims=(0, 0, None))
    out = torch.stack(reads, 1).double().numpy()
    start, end = (e.detach().double().numpy() for e in (start, end))
    return Trace(out[..., 0], out[..., 1], out[..., 2], every, start, end)
