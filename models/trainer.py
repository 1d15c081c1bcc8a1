"""One GAN training run in memory: the networks and optimizers a `TrainConfig` asks for, and one round.

`Trainer(cfg, data)` seeds every random stream, builds G and D (`build`) and their optimizers
(`make_optimizer`), and `round()` does one round: cfg.d_steps discriminator updates, then one generator
update (extragradient: one simultaneous extrapolate-then-update step of both players); it returns the values
logged per round (LOG_FIELDS after the step, before the seconds). `state()` / `load_state()` are what a
checkpoint holds. The run loop, run directory and CLI are in models.train; live pages drive a Trainer
directly (ui.training).
"""

from __future__ import annotations

import contextlib
import functools

import numpy as np
import torch

from dynamics.contracts import InputError
from dynamics.dirac.objectives import LOSSES_BY_NAME
from models import checkpoint, nets, semisupervised
from models.config import TrainConfig
from models.losses import gen_loss
from models.regularizers import objectives

LOG_FIELDS = ("step", "d_objective", "g_loss", "d_grad_norm", "g_grad_norm", "seconds")


class NonFiniteError(RuntimeError):
    """A loss or gradient norm became NaN or inf; the message names the step and the quantity."""


def build(cfg: TrainConfig, data):
    """Generator and discriminator for the data kind. loss-sensitive makes D the loss function L ≥ 0 of the
    LS-GAN (nets.NonNegative); conditional + loss-sensitive gives the CLS-GAN (nets.CLSDiscriminator)."""
    k = data.n_classes if cfg.conditional else 0
    if cfg.conditional and data.n_classes == 0:
        raise InputError(f"--conditional needs labelled data; {cfg.data} has no classes")
    ls = cfg.loss == "loss-sensitive"
    cls = cfg.conditional and ls
    if data.kind == "image":
        size, ch = data.shape[1], data.shape[0]
        gradient_penalty = LOSSES_BY_NAME[cfg.loss].penalty is not None or cfg.regularizer.penalty is not None
        # semi-supervised runs too: the classifier must not depend on batch statistics of real and fake batches
        per_sample = gradient_penalty or cfg.labels is not None
        norm = "layer" if per_sample else ("batch" if cfg.batchnorm else "none")
        G = nets.DCGANGenerator(size, ch, cfg.nz, k, cfg.width, cfg.batchnorm)
        if cls:
            noise = semisupervised.NOISE if cfg.labels is not None else (0.0, 0.0)
            D = nets.CLSDiscriminator(nets.DCGANDiscriminator(size, ch, 0, cfg.width, norm, k, noise))
        else:
            D = nets.DCGANDiscriminator(size, ch, k, cfg.width, norm)
        G.apply(nets.init_weights)
        D.apply(nets.init_weights)
    elif cfg.net == "pacgan":
        G = nets.ToyGenerator(data.shape[0], cfg.nz, cfg.width, batchnorm=cfg.batchnorm)
        D = nets.ToyDiscriminator(data.shape[0], cfg.width // 2, pack=cfg.pack)
    else:
        dim = data.shape[0]
        G = nets.MLPGenerator(dim, cfg.nz, k, cfg.width)
        D = (
            nets.CLSDiscriminator(nets.MLPDiscriminator(dim, 0, cfg.width, n_out=k))
            if cls
            else (nets.MLPDiscriminator(dim, k, cfg.width))
        )
    return G, (nets.NonNegative(D) if ls and not cls else D)


def supervised_baseline(cfg: TrainConfig, data, labelled) -> float:
    """Test error of the semi-supervised run's loss function network trained on its labelled images alone:
    cfg.steps·cfg.d_steps steps of E L(x, y) with the same optimizer, learning rate, batch and seed, on random
    streams of its own (the run's are not touched)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(cfg.seed)
        _, D = build(cfg, data)
        D = D.to(cfg.device)
        opt = make_optimizer(cfg.optimizer, D.parameters(), cfg.lr_d, cfg.beta1)
        rng = np.random.default_rng(cfg.seed)
        for _ in range(cfg.steps * cfg.d_steps):
            idx = labelled[rng.integers(0, len(labelled), cfg.batch)]
            loss = D(data.x[idx].to(cfg.device), data.y[idx].to(cfg.device)).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    return semisupervised.error(D, data.x_test, data.y_test, cfg.device)


def make_optimizer(name, params, lr, beta1=0.5):
    """The torch optimizer of a TORCH_OPTIMIZERS name (extragradient steps with plain SGD; Adam with β₂ = 0.999)."""
    if name in ("sgd", "extragradient"):
        return torch.optim.SGD(params, lr)
    if name == "momentum":
        return torch.optim.SGD(params, lr, momentum=0.9)
    if name == "adam":
        return torch.optim.Adam(params, lr, betas=(beta1, 0.999))
    return torch.optim.RMSprop(params, lr)


def grad_norm(params):
    """The 2-norm of all parameters' gradients together (a tensor, not synchronized)."""
    return torch.nn.utils.get_total_norm([p.grad for p in params if p.grad is not None])


class Trainer:
    """The models, optimizers and random streams of one run, and one training round."""

    def __init__(self, cfg: TrainConfig, data):
        self.cfg, self.data = cfg, data
        self.device = torch.device(cfg.device)
        torch.manual_seed(cfg.seed)
        self.rng = np.random.default_rng(cfg.seed)
        self.G, self.D = (m.to(self.device) for m in build(cfg, data))
        if cfg.channels_last:
            self.G, self.D = (m.to(memory_format=torch.channels_last) for m in (self.G, self.D))
        self.g_params, self.d_params = list(self.G.parameters()), list(self.D.parameters())
        self.opt_g = make_optimizer(cfg.optimizer, self.g_params, cfg.lr_g, cfg.beta1)
        self.opt_d = make_optimizer(cfg.optimizer, self.d_params, cfg.lr_d, cfg.beta1)
        compile_ = (lambda m: torch.compile(m, dynamic=False)) if cfg.compile else (lambda m: m)
        self.g_fn, self.d_fn = compile_(self.G), compile_(self.D)
        self.step = 0
        if cfg.labels is not None:
            semisupervised.check_labels(cfg.labels, data.y, data.n_classes, cfg.data)
            self.labelled = semisupervised.select_labels(data.y, cfg.labels, data.n_classes, cfg.seed)
            self.unlabelled = np.setdiff1d(np.arange(len(data.y)), self.labelled)

    def state(self):
        return {
            "G": self.G.state_dict(),
            "D": self.D.state_dict(),
            "opt_g": self.opt_g.state_dict(),
            "opt_d": self.opt_d.state_dict(),
            "step": self.step,
            "rng": checkpoint.rng_state(self.rng),
            "config": self.cfg.to_dict(),
        }

    def load_state(self, s):
        self.G.load_state_dict(s["G"])
        self.D.load_state_dict(s["D"])
        self.opt_g.load_state_dict(s["opt_g"])
        self.opt_d.load_state_dict(s["opt_d"])
        self.step = s["step"]
        checkpoint.set_rng_state(s["rng"], self.rng)

    def batch(self):
        """Real samples, their labels (conditional runs), and latent codes: batch · pack of each, so that a
        packed discriminator sees `batch` packed inputs, as PacGAN's minibatch of 100 counts packed samples."""
        n = self.cfg.batch * self.cfg.pack
        x, y = self.data.sample(n, self.rng)
        x = x.to(self.device, non_blocking=True)
        if self.cfg.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        y = y.to(self.device) if self.cfg.conditional else None
        return x, y, torch.randn(n, self.cfg.nz, device=self.device)

    def autocast(self):
        if self.cfg.amp:
            return torch.autocast("cuda", dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def objectives(self, real, y, fake):
        c = self.cfg
        D = self.d_fn if y is None else (lambda x: self.d_fn(x, y))
        return objectives(
            c.loss,
            c.reg,
            D,
            real,
            fake,
            gamma=c.gamma,
            sigma=c.sigma,
            target=c.target,
            g_params=self.g_params,
            d_params=self.d_params,
        )

    def d_update(self):
        """One discriminator step; returns its objective, gradient norm, and the fake batch (with G's graph)."""
        real, y, z = self.batch()
        with self.autocast():
            fake = self.g_fn(z, y)
            obj_d, _ = self.objectives(real, y, fake if self.cfg.regularizer.transform else fake.detach())
        self.opt_d.zero_grad(set_to_none=True)
        (-obj_d).backward(inputs=self.d_params)
        norm = grad_norm(self.d_params)
        self.opt_d.step()
        if self.cfg.clip is not None:
            with torch.no_grad():
                for p in self.d_params:
                    p.clamp_(-self.cfg.clip, self.cfg.clip)
        return obj_d.detach(), norm, fake, y

    def g_update(self, fake, y):
        """One generator step on fresh noise (Qi 2017, Algorithm 1), with the last D step's labels; with
        cfg.reuse_fake on the last D step's fake batch (as in DCGAN: one G forward per round). Consensus needs
        real data and the field at the current point, so it draws a fresh batch."""
        c = self.cfg
        with self.autocast():
            if c.regularizer.transform:  # consensus: the field at the current point, both players
                real, y, z = self.batch()
                _, loss_g = self.objectives(real, y, self.g_fn(z, y))
            else:
                if not c.reuse_fake:
                    fake = self.g_fn(torch.randn(c.batch * c.pack, c.nz, device=self.device), y)
                if c.regularizer.noisy:
                    fake = fake + c.sigma * torch.randn_like(fake)
                loss_g = gen_loss(c.loss, self.d_fn(fake) if y is None else self.d_fn(fake, y))
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward(inputs=self.g_params)
        norm = grad_norm(self.g_params)
        self.opt_g.step()
        return loss_g.detach(), norm

    def extragradient_update(self):
        """x½ = x − h·g(x), then x ← x − h·g(x½), both players together, on one batch."""
        real, y, z = self.batch()
        start = [p.detach().clone() for p in self.g_params + self.d_params]
        for phase in range(2):
            with self.autocast():
                obj_d, loss_g = self.objectives(real, y, self.g_fn(z, y))
            grads = torch.autograd.grad(loss_g, self.g_params, retain_graph=True, allow_unused=True)
            grads += torch.autograd.grad(-obj_d, self.d_params, allow_unused=True)
            with torch.no_grad():
                if phase == 1:
                    for p, p0 in zip(self.g_params + self.d_params, start, strict=True):
                        p.copy_(p0)
                for p, g in zip(self.g_params + self.d_params, grads, strict=True):
                    p.grad = g
            if phase == 0:
                out = (obj_d.detach(), loss_g.detach(), grad_norm(self.d_params), grad_norm(self.g_params))
            self.opt_g.step()
            self.opt_d.step()
        return out

    @functools.cached_property
    def baseline_error(self) -> float:
        return supervised_baseline(self.cfg, self.data, self.labelled)

    def semisupervised_metrics(self) -> dict:
        """test_error of the loss function's classifier (class of minimal loss) on the held-out test images, and
        supervised_baseline_error, the same network trained on the labelled images alone."""
        error = semisupervised.error(self.D, self.data.x_test, self.data.y_test, self.device)
        return {"test_error": error, "supervised_baseline_error": self.baseline_error}

    def semisupervised_batch(self):
        """Labelled images and labels, unlabelled images, latent codes for the fakes paired with each, and
        uniform labels for the unlabelled pairs' fakes."""
        c, d = self.cfg, self.data
        il = self.labelled[self.rng.integers(0, len(self.labelled), c.batch)]
        iu = self.unlabelled[self.rng.integers(0, len(self.unlabelled), c.batch)]
        y_u = torch.from_numpy(self.rng.integers(0, d.n_classes, c.batch))
        z = torch.randn(2, c.batch, c.nz, device=self.device)
        x_l, y_l, x_u, y_u = (t.to(self.device) for t in (d.x[il], d.y[il], d.x[iu], y_u))
        return x_l, y_l, x_u, z[0], z[1], y_u

    def semisupervised_round(self):
        """cfg.d_steps steps of the loss function, then one of G on fresh noise (models.semisupervised): with
        cfg.semi "salimans" D's K + 1-class cross-entropy and G's feature matching, with "qi" Qi's margins and
        G minimizing the loss of its samples."""
        for _ in range(self.cfg.d_steps):
            x_l, y_l, x_u, z_l, z_u, y_u = self.semisupervised_batch()
            with torch.no_grad():
                fake_u = self.g_fn(z_u, y_u)
                fake_l = None if self.cfg.semi == "salimans" else self.g_fn(z_l, y_l)
            if fake_l is None:
                obj_d = semisupervised.d_cross_entropy(self.D, x_l, y_l, x_u, fake_u)
            else:
                obj_d = semisupervised.d_objective(self.D, x_l, y_l, x_u, fake_l, fake_u)
            self.opt_d.zero_grad(set_to_none=True)
            obj_d.backward(inputs=self.d_params)
            norm_d = grad_norm(self.d_params)
            self.opt_d.step()
        z_l, z_u = torch.randn(2, self.cfg.batch, self.cfg.nz, device=self.device)
        if self.cfg.semi == "salimans":
            loss_g = semisupervised.feature_matching(self.D, x_u, self.g_fn(z_u, y_u))
        else:
            loss_g = semisupervised.g_loss(self.D, self.g_fn(z_l, y_l), y_l, self.g_fn(z_u, y_u))
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward(inputs=self.g_params)
        norm_g = grad_norm(self.g_params)
        self.opt_g.step()
        return -obj_d.detach(), loss_g.detach(), norm_d, norm_g

    def decay_lr(self):
        """cfg.lr_decay "linear": both rates at round t are their base rate times 1 − t / cfg.steps."""
        scale = max(0.0, 1.0 - self.step / self.cfg.steps)
        for opt, lr in ((self.opt_g, self.cfg.lr_g), (self.opt_d, self.cfg.lr_d)):
            for group in opt.param_groups:
                group["lr"] = lr * scale

    def round(self):
        """One round; returns (d_objective, g_loss, d_grad_norm, g_grad_norm) of its last updates."""
        if self.cfg.lr_decay == "linear":
            self.decay_lr()
        if self.cfg.labels is not None:
            vals = self.semisupervised_round()
        elif self.cfg.optimizer == "extragradient":
            vals = self.extragradient_update()
        else:
            for _ in range(self.cfg.d_steps):
                obj_d, norm_d, fake, y = self.d_update()
            loss_g, norm_g = self.g_update(fake, y)
            vals = (obj_d, loss_g, norm_d, norm_g)
        self.step += 1
        return torch.stack([v.float() for v in vals]).tolist()
