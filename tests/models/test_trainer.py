"""Trainer (models.trainer): networks and optimizers from a TrainConfig, one round, and the checkpoint state."""

import math

import pytest
import torch

from dynamics.contracts import InputError
from models import nets
from models.config import TORCH_OPTIMIZERS, TrainConfig
from models.data import load
from models.trainer import LOG_FIELDS, Trainer, build, make_optimizer


def trainer(**kw):
    cfg = TrainConfig(data="ring8", device="cpu", **kw)
    return Trainer(cfg, load(cfg.data))


def test_a_round_returns_the_logged_values_and_the_same_seed_repeats_them():
    def three_rounds(t):  # one trainer at a time: a Trainer seeds and draws from torch's global stream
        return t, [t.round() for _ in range(3)]

    (a, ra), (_, rb), (_, rc) = (three_rounds(trainer(seed=s)) for s in (0, 0, 1))
    rounds = [ra, rb, rc]
    assert a.step == 3 and all(len(v) == len(LOG_FIELDS) - 2 for v in rounds[0])
    assert all(math.isfinite(x) for v in rounds[0] for x in v)
    assert rounds[0] == rounds[1] and rounds[0] != rounds[2]


def test_state_holds_the_config_as_a_plain_dict():
    t = trainer(loss="hinge", d_steps=2)
    t.round()
    state = t.state()
    assert state["config"] == t.cfg.to_dict() and state["step"] == 1
    assert TrainConfig.from_mapping(state["config"]) == t.cfg


def test_wgan_clipping_bounds_every_discriminator_weight():
    t = trainer(loss="wgan", clip=0.01)
    for _ in range(5):
        t.round()
    assert max(p.abs().max().item() for p in t.D.parameters()) == pytest.approx(0.01)


def test_conditional_needs_labelled_data():
    cfg = TrainConfig(data="normal(0, 1)", conditional=True, device="cpu")
    with pytest.raises(InputError, match="--conditional needs labelled data"):
        build(cfg, load(cfg.data))


@pytest.mark.parametrize("name", TORCH_OPTIMIZERS)
def test_every_optimizer_name_makes_a_torch_optimizer(name):
    opt = make_optimizer(name, [torch.nn.Parameter(torch.zeros(2))], 0.1)
    assert isinstance(opt, torch.optim.Optimizer) and opt.param_groups[0]["lr"] == 0.1


def test_packing_feeds_the_discriminator_batch_inputs_of_m_samples():
    """PacGAN's minibatch of 100 counts packed inputs: with --pack 3 and --batch 10, G makes 30 samples a step
    and D scores 10 packed inputs of 3 samples each, for real and for generated data."""
    t = trainer(pack=3, batch=10, width=16, net="pacgan")
    seen = {"G": [], "D": []}
    t.G.register_forward_hook(lambda m, inp, out: seen["G"].append(tuple(out.shape)))
    t.D.register_forward_hook(lambda m, inp, out: seen["D"].append((tuple(inp[0].shape), tuple(out.shape))))
    t.round()
    assert seen["G"] == [(30, 2)] * 2  # D's step, then G's step on fresh noise
    assert seen["D"] == [((30, 2), (10,))] * 3  # real and fake in D's step, fake in G's step


def test_adam_takes_the_configured_beta1():
    t = trainer(beta1=0.3)
    assert [o.param_groups[0]["betas"] for o in (t.opt_g, t.opt_d)] == [(0.3, 0.999)] * 2
    assert trainer(net="pacgan").opt_g.param_groups[0]["betas"] == (0.8, 0.999)  # PacGAN's β₁


def test_generator_step_draws_fresh_noise_unless_reuse_fake():
    """Qi's Algorithm 1: G's step samples new z; --reuse-fake keeps D's last fake batch (one G forward less)."""
    calls = {}
    for reuse in (False, True):
        t = trainer(reuse_fake=reuse)
        n = 0

        def count(*_):
            nonlocal n
            n += 1

        t.G.register_forward_hook(count)
        t.round()
        calls[reuse] = n
    assert calls == {False: 2, True: 1}


def test_no_batchnorm_leaves_every_batchnorm_out():
    cfg = TrainConfig(data="digits", batchnorm=False, width=8, device="cpu")
    G, D = build(cfg, load(cfg.data))
    kinds = {type(m) for m in [*G.modules(), *D.modules()]}
    assert torch.nn.BatchNorm2d not in kinds
    with_bn = build(TrainConfig(data="digits", width=8, device="cpu"), load("digits"))
    assert torch.nn.BatchNorm2d in {type(m) for net in with_bn for m in net.modules()}
    toy = build(TrainConfig(data="ring8", batchnorm=False, width=8, device="cpu"), load("ring8"))
    assert torch.nn.BatchNorm1d not in {type(m) for net in toy for m in net.modules()}


def test_net_picks_the_small_mlps_for_the_toys_or_pacgans_nets():
    G, D = build(TrainConfig(data="ring8", width=8, device="cpu"), load("ring8"))
    assert (type(G), type(D)) == (nets.MLPGenerator, nets.MLPDiscriminator)
    G, D = build(TrainConfig(data="ring8", net="pacgan", width=8, device="cpu"), load("ring8"))
    assert (type(G), type(D)) == (nets.ToyGenerator, nets.ToyDiscriminator)


def test_linear_lr_decay_steps_both_rates_down_to_zero_at_the_last_round():
    """--lr-decay linear over 4 rounds at lr 1e-3 (G) and 2e-3 (D): rounds 0-3 step at 1, 3/4, 1/2 and 1/4 of
    those; resuming recomputes the rate from the step, so a restored trainer continues the same schedule."""
    t = trainer(steps=4, lr_g=1e-3, lr_d=2e-3, lr_decay="linear", width=16, net="mlp")
    used = []
    for _ in range(4):
        t.round()
        used.append((t.opt_g.param_groups[0]["lr"], t.opt_d.param_groups[0]["lr"]))
    assert used == pytest.approx([(1e-3, 2e-3), (7.5e-4, 1.5e-3), (5e-4, 1e-3), (2.5e-4, 5e-4)])
    resumed = trainer(steps=4, lr_g=1e-3, lr_d=2e-3, lr_decay="linear", width=16, net="mlp")
    resumed.load_state(t.state() | {"step": 2})
    resumed.round()
    assert resumed.opt_g.param_groups[0]["lr"] == pytest.approx(5e-4)
    assert TrainConfig(data="normal(0, 1)").lr_decay == "none" and trainer(width=16).cfg.lr_decay == "linear"
