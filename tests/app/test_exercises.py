"""Every lab exercise answered the way a student would: set the controls its task names, follow its hint, read
the numbers the page displays (tables, summaries, metrics) and type the result into the answer box.

The answer is derived from the display, never from the exercise's own `answer` call; the page's Check button
(ui.exercises.check) has to accept it. Each test also asserts the part of the hint it follows, so a hint that
changes is checked again, and where a closed form exists the displayed number is compared with it.
"""

import math
import re

import pytest

from tests.app.apptest import assert_clean, run_page, shown

NUMBER = r"[−-]?\d+(?:\.\d+)?(?:e[+−-]?\d+)?"
KINDS = ("selectbox", "radio", "slider", "number_input", "text_input", "toggle", "multiselect")


def number(text: str) -> float:
    return float(text.replace("−", "-"))


def after(text: str, label: str) -> float:
    """The number printed right after `label` in `text`."""
    found = re.search(re.escape(label) + r"\s*(" + NUMBER + ")", text)
    assert found, f"{label!r} is not followed by a number in {text!r}"
    return number(found.group(1))


def summaries(at) -> str:
    """The captions: the text summary under each figure, as a reader sees it."""
    return "\n".join(shown(c.value) for c in at.caption)


def table(at, column: str) -> list[dict[str, str]]:
    """The markdown table whose header has `column`, as one dict per row (header → cell)."""
    text = next((m.value for m in at.markdown if m.value.startswith("|") and column in m.value.split("\n")[0]), None)
    assert text, f"no table with a column {column!r}"
    text = shown(text)
    header, _, *rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in text.split("\n")]
    return [dict(zip(header, row, strict=True)) for row in rows if len(row) == len(header)]


def exercise(at, key: str):
    """The expander of exercise `key`."""
    return next(e for e in at.expander if any(t.key == f"answer_{key}" for t in e.text_input))


def hint(at, key: str) -> str:
    """The hint in the exercise's popover (the last markdown of its expander while unsolved)."""
    return shown(exercise(at, key).markdown[-1].value)


def set_controls(at, **values) -> None:
    """Set the named controls in order, rerunning first when a control appears only after an earlier change."""
    for key, value in values.items():
        widget = next((w for kind in KINDS for w in at.get(kind) if w.key == key), None)
        if widget is None:
            at.run()
            widget = next(w for kind in KINDS for w in at.get(kind) if w.key == key)
        widget.set_value(value)
    at.run()
    assert_clean(at, str(values))
    for key, value in values.items():
        assert next(w for kind in KINDS for w in at.get(kind) if w.key == key).value == value, key


def accepted(at, key: str, value: float) -> bool:
    """Type `value` into exercise `key`'s answer box and press Check: True when the page says it is correct."""
    at.text_input(key=f"answer_{key}").set_value(f"{value:.10g}")
    at.button(key=f"check_{key}").click().run()
    box = exercise(at, key)
    assert box.success or box.error, f"{key}: no verdict for {value:.10g}"
    return bool(box.success) and box.success[0].value.startswith("Correct")


def step(at, page: str, rounds: int) -> str:
    """Press the page's Step button (at its default rounds per click) until `rounds` rounds; the summary then."""
    tick = at.slider(key="tick").value
    assert at.button(key=f"{page}_step").label == f"Step {tick}"
    for _ in range(rounds // tick):
        at.button(key=f"{page}_step").click().run()
    assert_clean(at, page)
    text = summaries(at)
    assert f"Round {rounds} of" in text
    return text


def test_phase_wgan_growth():
    at = run_page("phase")
    set_controls(at, loss="wgan", reg="none", optimizer="gd", scheme="sim", lr=0.1)
    assert "read the spectral radius in the summary under the figure" in hint(at, "phase_wgan_growth")
    radius = after(summaries(at), "spectral radius:")
    assert radius == pytest.approx(math.sqrt(1 + 0.1**2), abs=1e-6)  # |1 ± ih| for J's eigenvalues ±i
    assert accepted(at, "phase_wgan_growth", radius)


def test_phase_alt_cycle():
    at = run_page("phase")
    set_controls(at, loss="gan", reg="none", optimizer="gd", scheme="alt", lr=0.1, steps=500, starts="point")
    set_controls(at, theta0=1.0, psi0=1.0)
    column = re.search(r"'([^']+)' column", hint(at, "phase_alt_cycle")).group(1)
    (row,) = table(at, column)
    assert row["rounds"] == "500" and row["start (θ, ψ)"] == "(1, 1)"
    assert accepted(at, "phase_alt_cycle", number(row[column]))


def test_stab_real_gamma():
    at = run_page("stability")
    set_controls(at, loss="gan", reg="r1", sweep="gamma")
    assert "summary under the eigenvalue-path plot" in hint(at, "stab_real_gamma")
    gamma = after(summaries(at), "both eigenvalues are real from gamma =")
    assert gamma == pytest.approx(math.sqrt(4 * 0.25))  # trace² = γ² against 4·det = 4·¼
    assert accepted(at, "stab_real_gamma", gamma)


def test_stab_critical_lr():
    at = run_page("stability")
    set_controls(at, loss="gan", reg="r1", gamma=0.3, optimizer="gd", scheme="sim")
    assert "the summary under the plot gives that h" in hint(at, "stab_critical_lr")
    h = after(summaries(at), "stops converging at h =")
    assert h == pytest.approx(4 * 0.3, rel=1e-3)  # |1 + hλ| = 1 with Re λ = −γ/2, |λ|² = ¼
    assert accepted(at, "stab_critical_lr", h)


def test_stab_real_sigma():
    at = run_page("stability")
    set_controls(at, loss="gan", reg="instance-noise", sweep="sigma")
    assert "summary under the eigenvalue-path plot" in hint(at, "stab_real_sigma")
    sigma = after(summaries(at), "both eigenvalues are real from sigma =")
    assert sigma == pytest.approx(math.sqrt(2), rel=1e-3)  # (σ²/2)² = 4·¼
    assert accepted(at, "stab_real_sigma", sigma)


def test_opt_cg():
    at = run_page("optimal")
    set_controls(at, preset="gaussians")
    assert "Read the JS divergence and use C(G) = −log 4 + 2·JS, or read C(G) off the metrics" in hint(at, "opt_cg")
    c_g = -math.log(4) + 2 * after(summaries(at), "JS =")
    assert accepted(at, "opt_cg", c_g)
    metric = next(m for m in at.metric if m.label == "C(G) = V(G, D*)")
    assert number(metric.value) == pytest.approx(c_g, abs=1e-5)
    assert accepted(at, "opt_cg", number(metric.value))


def test_opt_disjoint_js():
    at = run_page("optimal")
    set_controls(at, preset="disjoint")
    assert "The summary under the figure gives JS" in hint(at, "opt_disjoint_js")
    near = after(summaries(at), "JS =")
    set_controls(at, preset="custom")
    set_controls(at, gen="uniform(10, 11)")
    assert at.text_input(key="data").value == "uniform(0, 1)"
    far = after(summaries(at), "JS =")
    assert near == far == pytest.approx(math.log(2), abs=1e-6)  # m = p/2 where p lives: ½·log 2 + ½·log 2
    assert accepted(at, "opt_disjoint_js", far)


def test_sat_logit():
    at = run_page("saturation")
    ex = exercise(at, "sat_logit")
    d = after(ex.label, "When D(G(z)) =")
    assert "−σ(t) = −D" in hint(at, "sat_logit")
    # the summary's worked pair at D = 0.01 follows the same rule: |∂/∂logit| of log(1 − D) is D
    text = summaries(at)
    assert after(text, "At D(G(z)) =") == 0.01 and after(text, "the logit gradients are") == -0.01
    assert accepted(at, "sat_logit", abs(-d))


def test_sat_ratio():
    """Issue 10 item 7: the table stopped at λ = 0.90, so its last row gave 77.3, which is rejected."""
    at = run_page("saturation")
    set_controls(at, preset="far", family="shift")
    assert "Divide the last row's two gradient columns (or read the ratio in the summary)" in hint(at, "sat_ratio")
    rows = table(at, "‖∇θ‖ non-saturating")
    last = rows[-1]
    assert last["λ"] == "1.00"
    ratio = number(last["‖∇θ‖ non-saturating"]) / number(last["‖∇θ‖ saturating"])
    (old,) = [r for r in rows if r["λ"] == "0.90"]
    old_ratio = number(old["‖∇θ‖ non-saturating"]) / number(old["‖∇θ‖ saturating"])
    assert round(old_ratio, 1) == 77.3
    assert not accepted(at, "sat_ratio", old_ratio)
    assert accepted(at, "sat_ratio", ratio)
    assert accepted(at, "sat_ratio", after(summaries(at), "(ratio"))


@pytest.mark.parametrize("levels", [2, 5, 20, 21, 101])
def test_saturation_table_ends_at_lambda_one(levels):
    at = run_page("saturation", levels=str(levels))
    rows = table(at, "‖∇θ‖ non-saturating")
    assert rows[0]["λ"] == "0.00" and rows[-1]["λ"] == "1.00"
    assert len({r["λ"] for r in rows}) == len(rows) <= 8


def test_lip_w1():
    at = run_page("lipschitz")
    set_controls(at, preset="disjoint")
    assert "The summary under the figure gives W1" in hint(at, "lip_w1")
    w1 = after(summaries(at), "W1 =")
    assert w1 == 3  # uniform(3, 4) is uniform(0, 1) moved by 3
    assert accepted(at, "lip_w1", w1)


def test_lip_kappa():
    at = run_page("lipschitz")
    set_controls(at, preset="disjoint", kappa=3.0, samples=20, seed=0)
    assert "the table's κ = 3 column" in hint(at, "lip_kappa")
    from_summary = after(summaries(at), "LS-GAN, upper bound")
    (row,) = [r for r in table(at, "κ = 3") if r["critic"] == "LS-GAN, upper bound"]
    assert number(row["κ = 3"]) == from_summary == 3  # slope κ on every generated point
    assert accepted(at, "lip_kappa", from_summary)


# Training exercises: the task's run, stepped on the page at the default rounds per click; the check trains the
# same run once more (ui.training.metric_after), so each test costs two runs of the exercise's length.


TRAINING = [  # page, exercise, the task's controls, the hint's words, rounds, summary label, a wrong answer
    (
        "train1d",
        "train1d_js",
        {"density": "bimodal", "lr": 0.001},
        "Read it in the summary under the figure",
        500,
        "JS(p_data ‖ p_g) =",
        lambda js: math.log(2),
    ),
    (
        "mixtures",
        "mixtures_hq",
        {"data": "ring8", "lr": 0.001},
        "The summary under the figure gives the high-quality fraction",
        1000,
        "high-quality fraction",
        lambda fraction: fraction + 0.05,
    ),
    (
        "images",
        "images_fd",
        {"data": "digits", "lr": 0.0002},
        "The summary under the sample grid gives FD",
        200,
        "FD =",
        lambda fd: 1.2 * fd,
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("page,key,task,hint_says,rounds,label,wrong", TRAINING, ids=[t[1] for t in TRAINING])
def test_training_exercise(page, key, task, hint_says, rounds, label, wrong):
    at = run_page(page)
    at.button(key=f"{page}_reset_button").click().run()
    set_controls(at, **task, loss="gan", optimizer="adam", batch=64, seed=0)
    assert hint_says in hint(at, key)
    assert f"*Step {at.slider(key='tick').value}*" in exercise(at, key).markdown[0].value  # the task's button
    value = after(step(at, page, rounds), label)
    assert not accepted(at, key, wrong(value))
    assert accepted(at, key, value)
