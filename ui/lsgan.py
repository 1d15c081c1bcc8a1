"""The LS-GAN's words on the LS-GAN vs WGAN page (Qi 2017): its Lipschitz-density assumption and consistency
result, pairwise against first-order statistics, and "allocation on demand" shown with two generators whose
numbers come from the core (dynamics.oned.lipschitz.allocation)."""

from __future__ import annotations

from dynamics.numbers import num
from dynamics.oned.lipschitz import Allocation, allocation
from dynamics.oned.specs import parse

DATA, NEAR, FAR = "uniform(0, 1)", "uniform(0.5, 1.5)", "uniform(3, 4)"  # the real data, a near and a far fake

ASSUMPTION = (
    "**Lipschitz densities and consistency.** Qi assumes the data density is Lipschitz on a compact support, "
    "|p_data(x) − p_data(x′)| ≤ L_m·Δ(x, x′), a regularity condition instead of the classic GAN's discriminator "
    "of unlimited capacity. Then a κ-Lipschitz loss function and generator suffice, and at an equilibrium "
    "(θ\\*, φ\\*) the generated density obeys ∫|p_data(x) − p_G\\*(x)| dx ≤ 2/λ: p_G\\* → p_data as the margin "
    "weight λ grows (consistency)."
)

STATISTICS = (
    "**First-order against pairwise statistics.** The WGAN critic maximizes E_data f(x) − E_g f(G(z)): a "
    "difference of two means, each over one distribution. The LS-GAN's loss function minimizes "
    "E L(x) + λ·E_(x, z) (Δ(x, G(z)) + L(x) − L(G(z)))₊: every real point is compared with every fake through "
    "the hinge, so a pair counts only while the fake's loss is within the margin Δ(x, G(z)) of the real one. "
    "Qi's generalized LS-GAN writes the hinge as a cost C(a): C(a) = (a)₊ is the LS-GAN, and C(a) = a lets the "
    "expectation split into E Δ + E L(x) − E L(G(z)), first-order again: the WGAN."
)


def lp(x: float) -> str:
    """A value of the linear program to 3 digits; within HiGHS's feasibility tolerance (1e-7) of 0 it is 0."""
    return num(x, 3, tol=1e-7)


def allocations(kappa: float, lam: float, samples: int, seed: int) -> list[Allocation]:
    """The near and the far generator against the same real samples."""
    return allocation(parse(DATA), [parse(NEAR), parse(FAR)], samples, kappa, lam, seed)


def allocation_table(rows: list[Allocation]) -> str:
    """A Markdown table: generator, mean margin, push, unmet hinge."""
    head = "| generator | mean margin E Δ(x, z) | push E L(z) − E L(x) | hinge left |\n|---|---:|---:|---:|\n"
    pairs = zip(("near fake", "far fake"), rows, strict=True)
    lines = [f"| {n}: {r.gen} | {lp(r.margin)} | {lp(r.push)} | {lp(r.unmet)} |" for n, r in pairs]
    return head + "\n".join(lines)


def allocation_sentence(rows: list[Allocation]) -> str:
    """The demonstration in one sentence, its numbers read from the rows (and its verdict from them too)."""
    near, far = rows
    ratio = f" ({far.push / near.push:.1f}×)" if near.push > 1e-9 else ""
    verdict = (
        "the margin gives the far fake the larger push, and the generator, which minimizes E L(G(z)), has that "
        "much more loss to remove there. This is Qi's allocation on demand: effort goes to the poor samples, not "
        "to those already close to the data."
        if far.push > near.push
        else "here the far fake gets no larger push: the κ-Lipschitz bound caps the loss's rise."
    )
    return (
        f"The far fake's pairs have a margin {far.margin / near.margin:.1f}× the near fake's "
        f"({lp(far.margin)} against {lp(near.margin)}), and the least optimal loss function rises "
        f"{lp(far.push)} above the real samples on it against {lp(near.push)} on the near one{ratio}: {verdict}"
    )
