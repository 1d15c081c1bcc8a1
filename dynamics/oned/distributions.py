"""1-D densities: normal, uniform, Laplace, mixtures, kernel density estimates and transport interpolations, each
with pdf, cdf, quantiles, sampling and its own spec text (str(d) reads back with dynamics.oned.specs.parse)."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from dynamics.contracts import InputError

TAIL = 1e-14  # mass each support() leaves outside, at most


class SpecError(InputError):
    """A distribution spec that does not parse or has a value out of range."""


def spec_number(x: float) -> str:
    """Shortest text that reads back to the same float: 1.0 -> '1', 0.1 -> '0.1'."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


class Distribution:
    """A 1-D probability law with a density. Subclasses give logpdf, cdf, quantile, sample, support."""

    mean: float
    std: float

    def pdf(self, x):
        return np.exp(self.logpdf(x))

    def logpdf(self, x):
        raise NotImplementedError

    def cdf(self, x):
        raise NotImplementedError

    def quantile(self, u):
        """Q(u) = inf{x: F(x) ≥ u}: bracket from a cdf table, then Newton steps kept inside the bracket
        (bisection where Newton would leave it or the density is 0), to a few ulps of the support width."""
        u = np.asarray(u, dtype=float)
        if not hasattr(self, "_table"):
            grid = np.linspace(*self.support(), 2049)
            self._table = (grid, self.cdf(grid))
        grid, table = self._table
        i = np.clip(np.searchsorted(table, u, side="left"), 1, len(grid) - 1)
        a, b = np.array(grid[i - 1], dtype=float), np.array(grid[i], dtype=float)
        x = np.array(0.5 * (a + b), dtype=float)
        tol = 4 * np.finfo(float).eps * (grid[-1] - grid[0])
        active = np.ones(x.shape, dtype=bool)
        for _ in range(100):
            xa, ua, aa, ba = x[active], u[active], a[active], b[active]
            f = self.cdf(xa) - ua
            done = (np.abs(f) <= 8 * np.finfo(float).eps * ua) | (ba - aa <= tol)
            below = f < 0
            aa, ba = np.where(below, xa, aa), np.where(below, ba, xa)
            with np.errstate(divide="ignore", invalid="ignore"):
                newton = xa - f / self.pdf(xa)
            inside = np.isfinite(newton) & (newton > aa) & (newton < ba)
            x[active] = np.where(done, xa, np.where(inside, newton, 0.5 * (aa + ba)))
            a[active], b[active] = aa, ba
            active[active] = ~done
            if not active.any():
                break
        return x

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        return self.quantile(rng.random(n))

    def support(self) -> tuple[float, float]:
        raise NotImplementedError

    def breakpoints(self) -> list[float]:
        """Points where the density is not smooth (jumps, kinks); quadrature splits there."""
        return []

    def __repr__(self) -> str:
        return f"parse({str(self)!r})"


class Normal(Distribution):
    """N(μ, σ²): p(x) = exp(−(x−μ)²/2σ²) / (σ√(2π))."""

    def __init__(self, mu: float, sigma: float):
        self.mu, self.sigma = float(mu), float(sigma)
        self.mean, self.std = self.mu, self.sigma

    def logpdf(self, x):
        z = (np.asarray(x, dtype=float) - self.mu) / self.sigma
        return -0.5 * z * z - math.log(self.sigma) - 0.5 * math.log(2 * math.pi)

    def cdf(self, x):
        return special.ndtr((np.asarray(x, dtype=float) - self.mu) / self.sigma)

    def quantile(self, u):
        return self.mu + self.sigma * special.ndtri(np.asarray(u, dtype=float))

    def sample(self, n, rng):
        return rng.normal(self.mu, self.sigma, n)

    def support(self):
        k = -float(special.ndtri(TAIL / 2))
        return self.mu - k * self.sigma, self.mu + k * self.sigma

    def __str__(self):
        return f"normal({spec_number(self.mu)}, {spec_number(self.sigma)})"


class Uniform(Distribution):
    """U(a, b): p(x) = 1/(b−a) on [a, b]."""

    def __init__(self, a: float, b: float):
        self.a, self.b = float(a), float(b)
        self.mean, self.std = (self.a + self.b) / 2, (self.b - self.a) / math.sqrt(12)

    def logpdf(self, x):
        x = np.asarray(x, dtype=float)
        return np.where((x >= self.a) & (x <= self.b), -math.log(self.b - self.a), -np.inf)

    def pdf(self, x):
        x = np.asarray(x, dtype=float)
        return np.where((x >= self.a) & (x <= self.b), 1.0 / (self.b - self.a), 0.0)

    def cdf(self, x):
        return np.clip((np.asarray(x, dtype=float) - self.a) / (self.b - self.a), 0.0, 1.0)

    def quantile(self, u):
        return self.a + (self.b - self.a) * np.asarray(u, dtype=float)

    def sample(self, n, rng):
        return rng.uniform(self.a, self.b, n)

    def support(self):
        return self.a, self.b

    def breakpoints(self):
        return [self.a, self.b]

    def __str__(self):
        return f"uniform({spec_number(self.a)}, {spec_number(self.b)})"


class Laplace(Distribution):
    """Laplace(μ, b): p(x) = exp(−|x−μ|/b) / (2b)."""

    def __init__(self, mu: float, b: float):
        self.mu, self.b = float(mu), float(b)
        self.mean, self.std = self.mu, math.sqrt(2) * self.b

    def logpdf(self, x):
        return -np.abs(np.asarray(x, dtype=float) - self.mu) / self.b - math.log(2 * self.b)

    def cdf(self, x):
        z = (np.asarray(x, dtype=float) - self.mu) / self.b
        return np.where(z < 0, 0.5 * np.exp(np.minimum(z, 0)), 1 - 0.5 * np.exp(-np.maximum(z, 0)))

    def quantile(self, u):
        u = np.asarray(u, dtype=float)
        return self.mu - self.b * np.sign(u - 0.5) * np.log1p(-2 * np.abs(u - 0.5))

    def sample(self, n, rng):
        return rng.laplace(self.mu, self.b, n)

    def support(self):
        k = -math.log(TAIL)
        return self.mu - k * self.b, self.mu + k * self.b

    def breakpoints(self):
        return [self.mu]

    def __str__(self):
        return f"laplace({spec_number(self.mu)}, {spec_number(self.b)})"


class Mixture(Distribution):
    """Σ w_k p_k with weights normalised to sum to 1."""

    def __init__(self, weights, components):
        w = np.asarray(weights, dtype=float)
        self.weights = w / w.sum()
        self.components = list(components)
        means = np.array([c.mean for c in self.components])
        second = np.array([c.std**2 + c.mean**2 for c in self.components])
        self.mean = float(self.weights @ means)
        self.std = float(math.sqrt(max(self.weights @ second - self.mean**2, 0.0)))

    def logpdf(self, x):
        x = np.asarray(x, dtype=float)
        with np.errstate(divide="ignore"):
            logs = [np.log(w) + c.logpdf(x) for w, c in zip(self.weights, self.components, strict=True)]
        return special.logsumexp(np.stack(logs), axis=0)

    def pdf(self, x):
        x = np.asarray(x, dtype=float)
        return sum(w * c.pdf(x) for w, c in zip(self.weights, self.components, strict=True))

    def cdf(self, x):
        x = np.asarray(x, dtype=float)
        return sum(w * c.cdf(x) for w, c in zip(self.weights, self.components, strict=True))

    def sample(self, n, rng):
        which = rng.choice(len(self.components), size=n, p=self.weights)
        out = np.empty(n)
        for k, c in enumerate(self.components):
            hit = which == k
            out[hit] = c.sample(int(hit.sum()), rng)
        return out

    def support(self):
        ends = [c.support() for w, c in zip(self.weights, self.components, strict=True) if w > 0]
        return float(min(e[0] for e in ends)), float(max(e[1] for e in ends))

    def breakpoints(self):
        return sorted({b for w, c in zip(self.weights, self.components, strict=True) if w > 0 for b in c.breakpoints()})

    def __str__(self):
        terms = ", ".join(f"{spec_number(w)}*{c}" for w, c in zip(self.weights, self.components, strict=True))
        return f"mixture({terms})"


class KDE(Distribution):
    """Gaussian kernel density estimate p(x) = (1/n) Σ φ((x − x_i)/h) / h."""

    def __init__(self, samples, bandwidth: float):
        self.samples = np.sort(np.asarray(samples, dtype=float).ravel())
        self.bandwidth = float(bandwidth)
        self.mean = float(self.samples.mean())
        self.std = float(math.sqrt(self.samples.var() + self.bandwidth**2))

    def _kernel_sum(self, x, kernel):
        x = np.asarray(x, dtype=float)
        flat = x.ravel()
        out = np.empty(flat.shape)
        step = max(1, 2_000_000 // len(self.samples))
        for s in range(0, len(flat), step):
            z = (flat[s : s + step, None] - self.samples[None, :]) / self.bandwidth
            out[s : s + step] = kernel(z).mean(axis=1)
        return out.reshape(x.shape)

    def pdf(self, x):
        return self._kernel_sum(x, lambda z: np.exp(-0.5 * z * z)) / (self.bandwidth * math.sqrt(2 * math.pi))

    def logpdf(self, x):
        """log of the kernel sum; logsumexp only where the plain sum underflows (far tails)."""
        x = np.asarray(x, dtype=float)
        dens = self.pdf(x)
        out = np.empty(x.shape)
        ok = dens > 1e-280
        out[ok] = np.log(dens[ok])
        if not ok.all():
            z = (x[~ok][:, None] - self.samples[None, :]) / self.bandwidth
            log_k = -0.5 * z * z - math.log(self.bandwidth) - 0.5 * math.log(2 * math.pi)
            out[~ok] = special.logsumexp(log_k, axis=1) - math.log(len(self.samples))
        return out

    def cdf(self, x):
        return self._kernel_sum(x, special.ndtr)

    def sample(self, n, rng):
        return rng.choice(self.samples, size=n) + self.bandwidth * rng.standard_normal(n)

    def support(self):
        k = -float(special.ndtri(TAIL / 2))
        return float(self.samples[0] - k * self.bandwidth), float(self.samples[-1] + k * self.bandwidth)

    def __str__(self):
        points = ", ".join(spec_number(s) for s in self.samples)
        return f"kde({points}, bw={spec_number(self.bandwidth)})"


class Transport(Distribution):
    """Law of G_t(z) = (1 − t)·Q_A(z) + t·Q_B(z), z ~ U(0, 1): the quantile-transform path from A (t = 0) to
    B (t = 1), i.e. the Wasserstein-2 geodesic between two 1-D laws.

    Its quantile is G_t itself, its cdf is G_t⁻¹ and its density is 1/G_t'(z) with
    G_t'(z) = (1 − t)/p_A(Q_A(z)) + t/p_B(Q_B(z)); where G_t jumps (a gap in both laws) the density is 0.
    """

    def __init__(self, t: float, start: Distribution, end: Distribution, nodes: int = 4097):
        self.t, self.start, self.end = float(t), start, end
        edge = -float(special.ndtri(TAIL))
        u = np.linspace(-edge, edge, nodes)
        self._u, self._z = u, special.ndtr(u)
        qa, qb = start.quantile(self._z), end.quantile(self._z)
        self._x = np.maximum.accumulate((1 - self.t) * qa + self.t * qb)
        self.mean = (1 - self.t) * start.mean + self.t * end.mean
        dz = np.exp(-0.5 * u * u) / math.sqrt(2 * math.pi)
        second = np.trapezoid(((1 - self.t) * qa + self.t * qb) ** 2 * dz, u)
        self.std = float(math.sqrt(max(second - self.mean**2, 0.0)))

    def quantile(self, u):
        u = np.asarray(u, dtype=float)
        if self.t == 0 or self.t == 1:
            return (self.start if self.t == 0 else self.end).quantile(u)
        qa, qb = self._ends(u)
        return (1 - self.t) * qa + self.t * qb

    def _ends(self, z):
        """(Q_A(z), Q_B(z)), kept for the last z: each Newton step asks for the map and its slope at the same z."""
        z = np.asarray(z, dtype=float)
        key = (z.shape, z.tobytes())
        if getattr(self, "_ends_last", (None,))[0] != key:
            self._ends_last = (key, (self.start.quantile(z), self.end.quantile(z)))
        return self._ends_last[1]

    def _slope(self, z):
        """G_t'(z); infinite where a law with positive weight has zero density at its quantile."""
        qa, qb = self._ends(z)
        with np.errstate(divide="ignore"):
            a = (1 - self.t) / self.start.pdf(qa) if self.t < 1 else 0.0
            b = self.t / self.end.pdf(qb) if self.t > 0 else 0.0
        return a + b

    def _jump_levels(self):
        """Levels z where Q_start or Q_end may jump: the cdf values of their breakpoints."""
        if not hasattr(self, "_levels"):
            ends = [
                *(self.start.cdf(b) for b in self.start.breakpoints()),
                *(self.end.cdf(b) for b in self.end.breakpoints()),
            ]
            self._levels = np.unique(np.asarray(ends, dtype=float))
        return self._levels

    def _on_map(self, z, x):
        """True where G_t(z) = x up to what rounding z allows (G_t'(z)·ulp(z)); False inside a jump of G_t."""
        with np.errstate(invalid="ignore", over="ignore"):
            slack = 1e-13 * max(self._x[-1] - self._x[0], 1.0) + 8 * np.spacing(z) * self._slope(z)
            return np.abs(self.quantile(z) - x) <= np.nan_to_num(slack, nan=0.0, posinf=0.0)

    def _invert(self, x):
        """z with G_t(z) = x (the infimum of such z where G_t jumps over x).

        Interpolates u = Φ⁻¹(z) from the table, then takes Newton steps in u on the exact map (u keeps the
        tails smooth); points that do not land on the map (gaps) are bisected inside their table bracket.
        """
        x = np.asarray(x, dtype=float)
        key = x.tobytes()
        last = getattr(self, "_last", None)
        if last is not None and last[0] == key:
            return last[1].copy()
        z = self._invert_uncached(x)
        self._last = (key, z)
        return z.copy()

    def _invert_uncached(self, x):
        u = np.interp(x, self._x, self._u)
        for _ in range(3):
            z = special.ndtr(u)
            with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
                step = (self.quantile(z) - x) / (self._slope(z) * np.exp(-0.5 * u * u) / math.sqrt(2 * math.pi))
            u = np.where(np.isfinite(step), np.clip(u - step, self._u[0], self._u[-1]), u)
        z = np.array(special.ndtr(u), dtype=float)
        off = ~self._on_map(z, x) & (x > self._x[0]) & (x < self._x[-1])
        if np.any(off):
            xo = x[off]
            i = np.clip(np.searchsorted(self._x, xo, side="right"), 1, len(self._x) - 1)
            lo, hi = self._z[i - 1], self._z[i]
            levels = self._jump_levels()
            k = np.clip(np.searchsorted(levels, lo), 0, max(len(levels) - 1, 0))
            hit = levels[k] if len(levels) else np.full(lo.shape, np.nan)
            found = (hit >= lo) & (hit <= hi)
            for _ in range(0 if found.all() else 52):
                mid = 0.5 * (lo + hi)
                below = self.quantile(mid) < xo
                lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
            z[off] = np.where(found, hit, 0.5 * (lo + hi))
        return z

    def _endpoint(self):
        return self.start if self.t == 0 else self.end if self.t == 1 else None

    def cdf(self, x):
        if self._endpoint():
            return self._endpoint().cdf(x)
        x = np.asarray(x, dtype=float)
        return np.where(x < self._x[0], 0.0, np.where(x > self._x[-1], 1.0, self._invert(x)))

    def pdf(self, x):
        if self._endpoint():
            return self._endpoint().pdf(x)
        x = np.asarray(x, dtype=float)
        z = self._invert(x)
        inside = (x >= self._x[0]) & (x <= self._x[-1])
        on_map = self._on_map(z, x)
        with np.errstate(divide="ignore"):
            density = 1.0 / self._slope(z)
        return np.where(inside & on_map, density, 0.0)

    def logpdf(self, x):
        if self._endpoint():
            return self._endpoint().logpdf(x)
        with np.errstate(divide="ignore"):
            return np.log(self.pdf(x))

    def support(self):
        return float(self._x[0]), float(self._x[-1])

    def breakpoints(self):
        levels = [float(self.start.cdf(b)) for b in self.start.breakpoints()]
        levels += [float(self.end.cdf(b)) for b in self.end.breakpoints()]
        levels = np.clip([w for v in levels for w in (v, np.nextafter(v, 2.0))], 0.0, 1.0)
        lo, hi = self.support()
        return sorted({float(x) for x in self.quantile(levels) if lo <= x <= hi})

    def __str__(self):
        return f"transport({spec_number(self.t)}, {self.start}, {self.end})"


def affine(d: Distribution, shift: float, scale: float) -> Distribution:
    """The law of shift + scale·X for X ~ d (scale > 0), written again in the spec language."""
    if not scale > 0:
        raise SpecError(f"affine scale must be > 0, got {spec_number(scale)}")
    if isinstance(d, Normal):
        return Normal(shift + scale * d.mu, scale * d.sigma)
    if isinstance(d, Uniform):
        return Uniform(shift + scale * d.a, shift + scale * d.b)
    if isinstance(d, Laplace):
        return Laplace(shift + scale * d.mu, scale * d.b)
    if isinstance(d, Mixture):
        return Mixture(d.weights, [affine(c, shift, scale) for c in d.components])
    if isinstance(d, KDE):
        return KDE(shift + scale * d.samples, scale * d.bandwidth)
    if isinstance(d, Transport):
        return Transport(d.t, affine(d.start, shift, scale), affine(d.end, shift, scale))
    raise TypeError(f"affine: unsupported distribution {type(d).__name__}")


def silverman_bandwidth(samples) -> float:
    """Silverman's rule h = 0.9 · min(std, IQR/1.34) · n^(−1/5)."""
    x = np.asarray(samples, dtype=float)
    iqr = np.subtract(*np.percentile(x, [75, 25]))
    spread = min(x.std(ddof=1), iqr / 1.34) if iqr > 0 else x.std(ddof=1)
    return float(0.9 * spread * len(x) ** -0.2)


def kde(samples, bandwidth: float | None = None) -> KDE:
    """Gaussian kernel density estimate of 1-D samples; bandwidth by Silverman's rule unless given."""
    x = np.asarray(samples, dtype=float).ravel()
    if x.size < 2 and bandwidth is None:
        raise SpecError(f"kde needs at least 2 samples to choose a bandwidth, got {x.size}")
    if x.size < 1 or not np.all(np.isfinite(x)):
        raise SpecError("kde needs at least one sample, all finite")
    h = silverman_bandwidth(x) if bandwidth is None else float(bandwidth)
    if not (math.isfinite(h) and h > 0):
        raise SpecError(
            f"kde bandwidth must be a finite number > 0, got {spec_number(h)} (samples all equal? then give bw=...)"
        )
    return KDE(x, h)
