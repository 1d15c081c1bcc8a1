"""TrainConfig: defaults by data kind, validation messages naming the option, and the run directory's dict."""

import dataclasses
import json

import pytest
import torch

from dynamics.contracts import InputError
from models.config import FIELDS, TORCH_OPTIMIZERS, TrainConfig


def test_defaults_depend_on_the_data_kind():
    toy, image, oned = TrainConfig(), TrainConfig(data="digits"), TrainConfig(data="normal(0, 1)")
    assert (toy.lr, toy.lr_g, toy.lr_d, toy.nz, toy.width) == (1e-3, 1e-3, 1e-3, 8, 128)
    assert (toy.batch, toy.steps, toy.lr_decay) == (100, 100000, "linear")
    assert (toy.loss, toy.reg, toy.gamma) == ("nsgan", "r1", 0.1)  # the toys' R1 at γ = 0.1
    assert (TrainConfig(loss="gan").reg, TrainConfig(loss="wgan-gp").gamma) == ("none", 10.0)  # R1 goes with nsgan
    assert (TrainConfig(loss="gan", reg="r1").gamma, TrainConfig(reg="r2").gamma) == (0.1, 10.0)
    assert TrainConfig(loss="wgan-gp", reg="r1").gamma == 10.0  # wgan-gp's own penalty weight stays 10
    pac = TrainConfig(net="pacgan")  # PacGAN's protocol: z ~ N(0, I₂), Adam 1e-4 with β₁ 0.8, 20,000 rounds
    assert (pac.lr, pac.nz, pac.width, pac.batch, pac.steps, pac.beta1) == (1e-4, 2, 400, 100, 20000, 0.8)
    assert (pac.loss, pac.reg, pac.lr_decay) == ("nsgan", "none", "none")
    assert (oned.lr, oned.nz, oned.width, oned.batch, oned.steps) == (1e-3, 8, 128, 64, 2000)
    assert (image.batch, image.steps) == (64, 2000)
    assert (image.lr, image.lr_g, image.lr_d, image.nz, image.width) == (2e-4, 2e-4, 2e-4, 64, 32)
    assert toy.device == ("cuda" if torch.cuda.is_available() else "cpu")
    assert (toy.net, image.net, oned.net, TrainConfig(conditional=True).net) == ("mlp", "dcgan", "mlp", "mlp")
    small = TrainConfig(conditional=True)  # conditional toys: the small defaults
    assert (small.lr, small.nz, small.width, small.batch, small.steps) == (1e-3, 8, 128, 64, 2000)
    ls = TrainConfig(data="digits", loss="loss-sensitive")  # L learns 10× faster on images (issue 12 item 1)
    assert (ls.lr, ls.lr_g, ls.lr_d) == (2e-4, 2e-4, pytest.approx(2e-3))
    assert TrainConfig(data="digits", loss="loss-sensitive", lr=1e-3, lr_d=5e-4).lr_d == 5e-4
    assert TrainConfig(loss="loss-sensitive").lr_d == 1e-3  # ring8: lr_d = lr
    assert TrainConfig(data="digits", loss="loss-sensitive", conditional=True).lr_d == pytest.approx(2e-3)  # CLS-GAN
    assert (toy.beta1, oned.beta1, image.beta1, small.beta1) == (0.5, 0.5, 0.5, 0.5)
    # PacGAN's GAN trains G on −log D(G(z)) (its bricks.py generator_loss): our nsgan; gan elsewhere
    assert (toy.loss, oned.loss, image.loss, small.loss) == ("nsgan", "gan", "gan", "gan")
    assert TrainConfig(loss="gan").loss == "gan" and TrainConfig.from_mapping({"loss": None}).loss == "nsgan"
    assert TrainConfig(beta1=0).beta1 == 0.0
    split = TrainConfig(lr=0.01, lr_d=0.02)
    assert (split.lr_g, split.lr_d) == (0.01, 0.02)


def test_a_run_saved_before_lr_decay_existed_reads_back_at_a_constant_rate():
    """A config.json without lr_decay trained at a constant rate; today's toy default (linear) must not resume it."""
    old = TrainConfig(data="ring8", net="mlp", reg="none").to_dict()
    del old["lr_decay"]
    assert TrainConfig.from_mapping(old).lr_decay == "linear" and TrainConfig.from_saved(old).lr_decay == "none"
    assert TrainConfig.from_saved(TrainConfig(data="grid25").to_dict()).lr_decay == "linear"


def test_from_mapping_takes_given_values_and_treats_none_as_not_given():
    cfg = TrainConfig.from_mapping({"loss": "hinge", "steps": 7, "lr": None, "gamma": 3})
    assert (cfg.loss, cfg.steps, cfg.lr, cfg.gamma) == ("hinge", 7, 1e-3, 3.0)
    assert isinstance(cfg.gamma, float)


def test_to_dict_is_json_in_field_order_and_reads_back_to_the_same_config():
    cfg = TrainConfig(data="normal(0, 1)", loss="nsgan", reg="r1", clip=0.5, seed=3, device="cpu")
    d = cfg.to_dict()
    assert tuple(d) == FIELDS and json.loads(json.dumps(d)) == d
    assert TrainConfig.from_mapping(d) == cfg


def test_a_config_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        TrainConfig().steps = 3


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"loss": "softmax"}, "--loss must be one of gan, "),
        ({"reg": "dropout"}, "--reg must be one of none, "),
        ({"optimizer": "gd"}, f"--optimizer must be one of {', '.join(TORCH_OPTIMIZERS)}, got 'gd'"),
        ({"lr": -1.0}, "--lr must be a finite number in (0, inf], got -1.0"),
        ({"lr_d": 0}, "--lr-d must be a finite number in (0, inf], got 0.0"),
        ({"gamma": float("nan")}, "--gamma must be a finite number in [0, inf], got nan"),
        ({"clip": 0.0}, "--clip must be a finite number in (0, inf], got 0.0"),
        ({"beta1": 1.0}, "--beta1 must be a finite number in [0, 1), got 1.0"),
        ({"beta1": -0.1}, "--beta1 must be a finite number in [0, 1), got -0.1"),
        ({"optimizer": "extragradient", "d_steps": 3}, "--d-steps must be 1"),
        ({"d_steps": 0}, "--d-steps must be at least 1, got 0"),
        ({"eval_every": 0}, "--eval-every must be at least 1, got 0"),
        ({"ckpt_every": -2}, "--ckpt-every must be at least 1, got -2"),
        ({"steps": 0}, "--steps must be at least 1, got 0"),
        ({"steps": -1}, "--steps must be at least 1, got -1"),
        ({"batch": 1}, "--batch must be at least 2"),
        ({"lr_decay": "cosine"}, "--lr-decay must be one of none, linear, got 'cosine'"),
        (
            {"data": "mnist5k", "loss": "loss-sensitive", "conditional": True, "labels": 100, "lr_decay": "linear"},
            "--lr-decay must be none with --labels",
        ),
        ({"reg": "instance-noise", "sigma": 0}, "--sigma must be > 0 with --reg instance-noise, got 0.0"),
        ({"device": "tpu"}, "--device must be auto, cpu or cuda[:N], got 'tpu'"),
        ({"device": "cpu", "amp": True}, "--amp (bf16 autocast) is a CUDA option"),
        ({"channels_last": True}, "--channels-last applies to image data only"),
        ({"sigmaa": 1.0}, "unknown training option 'sigmaa'"),
        ({"pack": 0}, "--pack must be at least 1, got 0"),
        ({"pack": 2, "data": "digits"}, "--pack applies to unconditional ring8/grid25"),
        ({"pack": 2, "loss": "loss-sensitive"}, "--pack applies to unconditional ring8/grid25"),
        ({"pack": 2, "net": "mlp"}, "--pack needs PacGAN's discriminator: --net pacgan"),
        ({"net": "resnet"}, "--net must be one of mlp, pacgan, dcgan, got 'resnet'"),
        ({"net": "pacgan", "data": "normal(0, 1)"}, "--net pacgan applies to unconditional ring8/grid25 runs"),
        ({"net": "mlp", "data": "digits"}, "images need it; digits got --net mlp"),
    ],
)
def test_bad_values_raise_input_error_naming_the_option(overrides, message):
    with pytest.raises(InputError) as err:
        TrainConfig.from_mapping(overrides)
    assert message in str(err.value)


def test_keyword_construction_rejects_a_bad_value_naming_it_and_its_range():
    with pytest.raises(InputError, match=r"^--target must be a finite number in \[0, inf\], got -0\.5$"):
        TrainConfig(target=-0.5)


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA present")
def test_cuda_without_a_device_is_refused():
    with pytest.raises(InputError, match="no CUDA device"):
        TrainConfig(device="cuda")


def test_semi_supervised_generator_learns_at_the_loss_functions_rate():
    cls = {"data": "digits", "loss": "loss-sensitive", "conditional": True, "device": "cpu"}
    semi, plain = TrainConfig(**cls, labels=20), TrainConfig(**cls)
    assert (semi.lr_g, semi.lr_d, semi.semi) == (2e-3, 2e-3, "salimans")
    assert (plain.lr_g, plain.lr_d) == (2e-4, 2e-3)
    with pytest.raises(InputError, match=r"^--semi must be one of salimans, qi, got 'x'$"):
        TrainConfig(**cls, labels=20, semi="x")
