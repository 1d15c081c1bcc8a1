"""The settings of one torch training run: `TrainConfig`, a validated frozen dataclass.

Built from keywords (`TrainConfig(data="digits", loss="hinge")`) or from a partial mapping of overrides, as
pages, the CLI and saved runs have them (`TrainConfig.from_mapping({"loss": "hinge", "lr": None})`: None
means "not given"). Construction fills the data-dependent defaults (learning rates, latent size, width,
device) and checks every value and combination; bad input raises InputError naming the option (as its
command-line flag) and what is allowed. `to_dict()` is what a run directory stores (config.json and the
checkpoint's "config"), and `from_mapping` reads it back.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import torch

from dynamics.contracts import InputError
from dynamics.dirac.objectives import LOSSES, REGULARIZERS, REGULARIZERS_BY_NAME, Regularizer
from models.data import IMAGES, TOYS
from models.semisupervised import OBJECTIVES

TORCH_OPTIMIZERS = ("sgd", "momentum", "adam", "rmsprop", "extragradient")
LR_DECAYS = ("none", "linear")
NETS = ("mlp", "pacgan", "dcgan")  # dcgan: image data; pacgan: PacGAN's nets for unconditional ring8/grid25

# Float options: (low, high, low end open, high end open); a value must be finite and in [low, high], with an
# open end excluded: (low, high] or [low, high).
FLOAT_RANGES = {
    "gamma": (0, math.inf, False, False),
    "sigma": (0, math.inf, False, False),
    "clip": (0, math.inf, True, False),
    "target": (0, math.inf, False, False),
    "lr": (0, math.inf, True, False),
    "lr_g": (0, math.inf, True, False),
    "lr_d": (0, math.inf, True, False),
    "beta1": (0, 1, False, True),
}

# The 2-D mode-collapse toys: the non-saturating GAN with R1 (Mescheder 2018) at γ = 0.1 on the small MLPs, Adam 1e-3
# decayed linearly to 0, noise N(0, I₈), batch 100 (bench/RESULTS.md, "2-D toys": how each part was chosen).
TOY_DEFAULTS = {
    "loss": "nsgan",
    "reg": "r1",
    "gamma": 0.1,
    "lr": 1e-3,
    "lr_decay": "linear",
    "width": 128,
    "batch": 100,
    "steps": 100000,
    "nz": 8,
    "beta1": 0.5,
}
# `--net pacgan`: PacGAN's protocol (Lin 2018, Table 1, and its code's config.py): noise z ~ N(0, I₂), G 4×400 ReLU
# + BatchNorm, D 3×200 maxout, Adam 1e-4 with β₁ = 0.8, batch 100, and its GAN's generator loss −log D(G(z)).
PACGAN_DEFAULTS = {"loss": "nsgan", "lr": 1e-4, "width": 400, "batch": 100, "steps": 20000, "nz": 2, "beta1": 0.8}
DEFAULTS = {"loss": "gan", "lr": 1e-3, "width": 128, "batch": 64, "steps": 2000, "nz": 8, "beta1": 0.5}
IMAGE_DEFAULTS = {**DEFAULTS, "lr": 2e-4, "width": 32, "nz": 64}
# The LS-GAN's and CLS-GAN's loss function on images learns 10× faster than its generator (two time scales, our
# choice, not Qi's): on digits at 1,000 rounds FD 983, 870, 849 (seeds 0-2) with lr_d = lr, 75, 96, 90 at 10·lr;
# the CLS-GAN's within-class diversity 0.13 at lr_d = lr (every class one blurred image), 0.54-0.66 at 10·lr.
# The semi-supervised CLS-GAN's generator learns at the same 10·lr (Salimans 2016: one rate for both): with
# lr_g = lr no form beat the supervised baseline on mnist5k at 1,000 rounds (bench/RESULTS.md, seed 0).
LS_LR_D = 10.0


def flag(name: str) -> str:
    """The command-line flag of an option: d_steps → --d-steps."""
    return "--" + name.replace("_", "-")


def float_range(low: float, high: float, low_open: bool, high_open: bool = False) -> str:
    """The interval as the messages write it: (0, inf], [0, inf] or [0, 1)."""
    return f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"


def in_range(value, low: float, high: float, low_open: bool, high_open: bool = False) -> bool:
    """A finite float in [low, high], without low when low_open and without high when high_open."""
    if not (isinstance(value, float) and math.isfinite(value)):
        return False
    return (value > low if low_open else value >= low) and (value < high if high_open else value <= high)


@dataclass(frozen=True)
class TrainConfig:
    """Every setting of a run. None for loss, reg, gamma, lr, lr_g, lr_d, beta1, nz, width, batch, steps and lr_decay
    means the default for the data kind: images gan, lr 2e-4, nz 64, width 32, batch 64, 2,000 steps; unconditional
    ring8/grid25 TOY_DEFAULTS (with net "pacgan" PACGAN_DEFAULTS); otherwise gan, lr 1e-3, nz 8, width 128, batch
    64, 2,000 steps. reg is none, except r1 with the toys' default loss nsgan; gamma is 10, except 0.1 for r1 on the
    toys (not with wgan-gp, whose penalty shares it); lr_decay is "linear" on the toys (both rates fall linearly to
    0 at `steps`), else "none"; lr_g defaults to lr, lr_d too, except LS_LR_D·lr for the LS-GAN and CLS-GAN's lr_d
    on images and both rates of the semi-supervised CLS-GAN; beta1, Adam's β₁, is 0.5 (PacGAN's 0.8 with its nets).
    pack m > 1 feeds the discriminator m samples concatenated, `batch` such inputs a step (PacGAN, 2-D toys only).
    net None: "dcgan" for images, else "mlp"; reuse_fake: G's step reuses the last D step's fake batch instead of
    fresh noise; labels n: the semi-supervised CLS-GAN with n labelled training images (models.semisupervised), semi
    its objective ("salimans": D's K + 1-class cross-entropy and G's feature matching, "qi": Qi's margins);
    batchnorm=False: no BatchNorm in G or D. Device "auto" becomes "cuda" when a CUDA device is present, else "cpu".
    After construction every field holds its final value."""

    data: str = "ring8"
    loss: str | None = None
    reg: str | None = None
    gamma: float | None = None
    sigma: float = 0.1
    clip: float | None = None
    target: float = 1.0
    optimizer: str = "adam"
    lr: float | None = None
    lr_g: float | None = None
    lr_d: float | None = None
    beta1: float | None = None
    d_steps: int = 1
    steps: int | None = None
    batch: int | None = None
    seed: int = 0
    device: str = "auto"
    conditional: bool = False
    reuse_fake: bool = False
    batchnorm: bool = True
    nz: int | None = None
    width: int | None = None
    eval_every: int = 500
    ckpt_every: int = 500
    amp: bool = False
    channels_last: bool = False
    compile: bool = False
    pack: int = 1
    net: str | None = None
    labels: int | None = None
    semi: str = "salimans"
    lr_decay: str | None = None

    @classmethod
    def from_mapping(cls, overrides: Mapping) -> TrainConfig:
        """The defaults with the non-None values of `overrides` (a page's controls, parsed CLI options, or a
        saved config.json / checkpoint config); an unknown key raises InputError naming it."""
        unknown = [k for k in overrides if k not in FIELDS]
        if unknown:
            raise InputError(f"unknown training option {unknown[0]!r}; the options are {', '.join(FIELDS)}")
        return cls(**{k: v for k, v in overrides.items() if v is not None})

    @classmethod
    def from_saved(cls, saved: Mapping) -> TrainConfig:
        """A run directory's stored settings (`to_dict()`, maybe with overrides); an option added after the run was
        written takes the value the run trained with, not today's default (lr_decay: none)."""
        return cls.from_mapping({"lr_decay": "none", **saved})

    def to_dict(self) -> dict:
        """The settings as plain values, in field order: the run directory's config.json."""
        return dataclasses.asdict(self)

    @property
    def regularizer(self) -> Regularizer:
        """The regularizer's registry entry (how it acts: penalty, field transform, noise)."""
        return REGULARIZERS_BY_NAME[self.reg]

    @property
    def image(self) -> bool:
        """Whether the data are images (DCGAN nets; channels-last applies)."""
        return self.data in IMAGES

    def __post_init__(self):
        net = self.net or ("dcgan" if self.image else "mlp")
        toy = self.data in TOYS and not self.conditional
        base = (
            PACGAN_DEFAULTS if net == "pacgan" else TOY_DEFAULTS if toy else IMAGE_DEFAULTS if self.image else DEFAULTS
        )
        loss = self.loss or base["loss"]
        reg = self.reg or (base.get("reg", "none") if loss == base["loss"] else "none")  # R1 goes with nsgan
        gamma = self.gamma
        if gamma is None:  # the toys' R1 weight, except where wgan-gp's own penalty shares gamma
            gamma = base.get("gamma", 10.0) if reg == base.get("reg") and loss != "wgan-gp" else 10.0
        lr = self.lr if self.lr is not None else base["lr"]
        filled = {
            "net": net,
            "loss": loss,
            "reg": reg,
            "gamma": gamma,
            "batch": self.batch if self.batch is not None else base["batch"],
            "steps": self.steps if self.steps is not None else base["steps"],
            "lr": lr,
            "lr_g": self.lr_g if self.lr_g is not None else lr * (LS_LR_D if self.labels is not None else 1),
            "lr_d": self.lr_d
            if self.lr_d is not None
            else lr * (LS_LR_D if self.loss == "loss-sensitive" and self.image else 1),
            "nz": self.nz if self.nz is not None else base["nz"],
            "beta1": self.beta1 if self.beta1 is not None else base["beta1"],
            "width": self.width if self.width is not None else base["width"],
            "lr_decay": self.lr_decay or base.get("lr_decay", "none"),
        }
        if self.device == "auto":
            filled["device"] = "cuda" if torch.cuda.is_available() else "cpu"
        for name in FLOAT_RANGES:  # ints and numpy scalars as plain floats, so to_dict() is JSON
            value = filled.get(name, getattr(self, name))
            if isinstance(value, numbers.Real) and not isinstance(value, bool):
                filled[name] = float(value)
        for name, value in filled.items():
            object.__setattr__(self, name, value)
        self._check()

    def _check(self):
        for name, bounds in FLOAT_RANGES.items():
            value = getattr(self, name)
            if name == "clip" and value is None:
                continue
            if not in_range(value, *bounds):
                raise InputError(f"{flag(name)} must be a finite number in {float_range(*bounds)}, got {value!r}")
        for name, choices in (
            ("loss", LOSSES),
            ("reg", REGULARIZERS),
            ("optimizer", TORCH_OPTIMIZERS),
            ("net", NETS),
            ("semi", OBJECTIVES),
            ("lr_decay", LR_DECAYS),
        ):
            if getattr(self, name) not in choices:
                raise InputError(f"{flag(name)} must be one of {', '.join(choices)}, got {getattr(self, name)!r}")
        if self.optimizer == "extragradient" and self.d_steps != 1:
            raise InputError("--optimizer extragradient updates both players together; --d-steps must be 1")
        for name in ("steps", "d_steps", "batch", "nz", "width", "eval_every", "ckpt_every", "pack"):
            if getattr(self, name) < 1:  # steps 0 would write a run directory without a single round
                raise InputError(f"{flag(name)} must be at least 1, got {getattr(self, name)}")
        if self.batch < 2:
            raise InputError("--batch must be at least 2 (batch norm needs two samples)")
        if (self.net == "dcgan") != self.image:
            raise InputError(f"--net dcgan is the image nets and images need it; {self.data} got --net {self.net}")
        if self.net == "pacgan" and (self.data not in TOYS or self.conditional):
            raise InputError("--net pacgan applies to unconditional ring8/grid25 runs")
        if self.pack > 1 and (self.data not in TOYS or self.conditional or self.loss == "loss-sensitive"):
            raise InputError("--pack applies to unconditional ring8/grid25 runs without loss-sensitive (pairs)")
        if self.pack > 1 and self.net != "pacgan":
            raise InputError("--pack needs PacGAN's discriminator: --net pacgan")
        if self.regularizer.noisy and self.sigma <= 0:
            raise InputError(f"--sigma must be > 0 with --reg instance-noise, got {self.sigma}")
        if self.device.startswith("cuda") and not torch.cuda.is_available():
            raise InputError("--device cuda: no CUDA device is available (this torch build or machine has none)")
        if self.device != "cpu" and not self.device.startswith("cuda"):
            raise InputError(f"--device must be auto, cpu or cuda[:N], got {self.device!r}")
        if self.amp and not self.device.startswith("cuda"):
            raise InputError("--amp (bf16 autocast) is a CUDA option; this run is on the CPU")
        if self.labels is not None and not (self.conditional and self.loss == "loss-sensitive" and self.image):
            raise InputError(
                f"--labels {self.labels}: the semi-supervised CLS-GAN needs --conditional --loss loss-sensitive "
                f"and image data (digits, mnist5k, fashion-mnist)"
            )
        if self.labels is not None and (self.reg != "none" or self.optimizer == "extragradient"):
            raise InputError("--labels trains with --reg none and an optimizer other than extragradient")
        if self.labels is not None and self.lr_decay != "none":
            raise InputError(
                "--lr-decay must be none with --labels (its supervised baseline trains at a constant rate)"
            )
        if self.channels_last and not self.image:
            raise InputError("--channels-last applies to image data only")


FIELDS = tuple(f.name for f in dataclasses.fields(TrainConfig))
