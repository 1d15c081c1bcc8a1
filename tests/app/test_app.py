"""Streamlit AppTest for every page: defaults, widget extremes, figure changes, URL state, lab exercises."""

import pytest

from dynamics.dirac.status import STATUSES
from tests.app.apptest import assert_clean, figures, run_page, shown, texts, warning_text

PAGES = ["home", "phase", "stability", "optimal", "saturation", "lipschitz"]
# Configurations that between them show every control of the Dirac-GAN pages.
CONFIGS = {
    "phase": [
        {},
        {"reg": "r1", "optimizer": "momentum", "scheme": "alt", "two_lr": "1", "starts": "random"},
        {"loss": "wgan-gp", "reg": "instance-noise", "optimizer": "adam", "starts": "grid"},
        {"mode": "compare"},
    ],
    "stability": [
        {},
        {"reg": "r1", "optimizer": "momentum", "scheme": "alt", "two_lr": "1"},
        {"loss": "wgan-gp", "reg": "instance-noise"},
    ],
    "optimal": [{}, {"preset": "disjoint", "figure1": "1"}],
    "saturation": [{}, {"preset": "bimodal", "family": "scale"}],
    "lipschitz": [{}, {"preset": "gaussians"}],
}


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_at_defaults(name):
    at = run_page(name)
    assert_clean(at, name)
    if name != "home":
        assert figures(at), "no figure shown"
        assert at.get("download_button"), "no downloads"


def test_home_links_every_page():
    at = run_page("home")
    links = [e.proto.page for e in at.get("page_link")]
    assert links == ["phase", "stability", "optimal", "saturation", "train1d", "mixtures", "lipschitz", "images"]


@pytest.mark.parametrize("name,query", [(n, q) for n, qs in CONFIGS.items() for q in qs])
def test_every_numeric_widget_at_min_and_max(name, query):
    at = run_page(name, **query)
    assert_clean(at, f"{name} {query}")
    numeric = [("slider", w.key) for w in at.slider] + [("number_input", w.key) for w in at.number_input]
    assert numeric
    for kind, key in numeric:
        for end in ("min", "max"):
            widget = next(w for w in at.get(kind) if w.key == key)
            widget.set_value(getattr(widget, end)).run()
            assert_clean(at, f"{name} {query} {key}={end}")
        next(w for w in at.get(kind) if w.key == key).set_value(widget.min).run()


@pytest.mark.parametrize(
    "name,key,value",
    [
        ("phase", "lr", 0.5),
        ("stability", "lr", 1.5),
        ("optimal", "a", 1.0),
        ("saturation", "levels", 5),
        ("lipschitz", "kappa", 3.0),
    ],
)
def test_parameter_change_changes_the_figure(name, key, value):
    """The page's main figure changes: the first, except where the control moves a later one (/optimal: a moves
    the D chart under the densities; /saturation: the levels of λ move the gradient chart, the third)."""
    at = run_page(name)
    main = {"optimal": 1, "saturation": 2}.get(name, 0)
    before, captions = figures(at), [c.value for c in at.caption]
    next(s for s in at.slider if s.key == key).set_value(value).run()
    assert_clean(at)
    assert figures(at)[main] != before[main]
    assert [c.value for c in at.caption] != captions  # the text summary follows the figure


def test_query_parameters_restore_the_state():
    at = run_page("phase", loss="wgan", reg="r1", gamma="2.5", lr="0.3", starts="random", seed="42", n_starts="5")
    assert_clean(at)
    assert at.selectbox(key="loss").value == "wgan"
    assert at.selectbox(key="reg").value == "r1"
    assert at.slider(key="gamma").value == 2.5
    assert at.slider(key="lr").value == 0.3
    assert at.number_input(key="seed").value == 42
    assert at.slider(key="n_starts").value == 5
    table = next(m.value for m in at.markdown if "distance to (0, 0)" in m.value)
    assert sum(line.startswith("| (") for line in table.splitlines()) == 5
    # The share link carries exactly these non-default values, and reproduces the same figure.
    link = at.code[0].value
    for part in ("loss=wgan", "reg=r1", "gamma=2.5", "lr=0.3", "seed=42", "n_starts=5", "starts=random"):
        assert part in link
    query = dict(p.split("=") for p in link.split("?", 1)[1].split("&"))
    again = run_page("phase", **query)
    assert figures(again) == figures(at)


def test_changed_widget_is_written_to_the_url():
    at = run_page("stability")
    at.slider(key="lr").set_value(0.7).run()
    assert at.query_params["lr"] == "0.7"
    at.slider(key="lr").set_value(0.1).run()  # back to the default: the parameter leaves the URL
    assert "lr" not in at.query_params


@pytest.mark.parametrize(
    "query,named",
    [({"gamma": "abc", "reg": "r1"}, "gamma='abc'"), ({"loss": "foo"}, "loss='foo'"), ({"steps": "1e9"}, "steps")],
)
def test_bad_url_values_warn_and_fall_back(query, named):
    at = run_page("phase", **query)
    assert_clean(at)
    warnings = warning_text(at)
    assert named in warnings and "Using the default" in warnings


def test_lock_and_hide():
    at = run_page("phase", lock="loss,lr", hide="reg", reg="r1", bogus="1")
    assert_clean(at)
    assert at.selectbox(key="loss").disabled and at.slider(key="lr").disabled
    assert not at.slider(key="steps").disabled
    assert "reg" not in [s.key for s in at.selectbox]
    assert "gamma" in [s.key for s in at.slider]  # the hidden regularizer still applies (r1 → γ shown)
    at = run_page("phase", lock="nonsense")
    assert "nonsense" in warning_text(at)


def test_switching_pages_starts_the_next_page_from_its_defaults():
    """`lr` and `steps` exist on both pages with other ranges; a hidden control's value must not leak either."""
    at = run_page("phase", lr="0.5", steps="1000", hide="all")
    for key in list(at.query_params):
        del at.query_params[key]  # what the sidebar link does
    at.switch_page("pages/train1d.py").run()
    assert_clean(at)
    assert at.slider(key="lr").value == 0.001 and at.slider(key="steps").value == 3000
    assert at.selectbox(key="optimizer").value == "adam"
    for key in list(at.query_params):
        del at.query_params[key]
    at.switch_page("pages/phase.py").run()
    assert_clean(at)
    # back on the class link's page: as the link opened it, all hidden at its values
    assert not at.sidebar.slider and dict(at.query_params) == {"lr": "0.5", "steps": "1000", "hide": "all"}
    assert at.code[0].value.endswith("/phase?lr=0.5&steps=1000")  # the share link: the values in use


def test_eigenvalue_path_summaries():
    """WGAN-GP is non-smooth at the equilibrium for every γ > 0: no conclusions from undefined eigenvalues;
    consensus converges for every γ > 0, which is no threshold."""
    at = run_page("stability", loss="wgan-gp")
    assert_clean(at)
    assert "For every gamma > 0 the objective is not differentiable at the equilibrium" in texts(at)
    at = run_page("stability", reg="consensus")
    assert "all real parts are negative (local convergence) for every gamma > 0" in texts(at)


def test_images_page_reports_unknown_lock_names():
    at = run_page("images", lock="foo")
    assert "lock= names unknown controls foo" in warning_text(at)


def test_compare_mode_defaults_to_figure3():
    at = run_page("phase", mode="compare")
    assert_clean(at)
    assert at.multiselect(key="compare").value == [
        "gan",
        "wgan",
        "wgan-gp",
        "gan+consensus",
        "gan+instance-noise",
        "gan+r1",
    ]
    assert len(at.dataframe[0].value) == 6


def phase_status(**query) -> tuple[str, str]:
    """The phase page's figure summary and its trajectory table, as shown."""
    at = run_page("phase", **query)
    assert_clean(at)
    table = next(m.value for m in at.markdown if "distance to (0, 0)" in m.value)
    return shown(at.caption[0].value), shown(table)


@pytest.mark.parametrize(
    ("query", "status", "verdict", "window"),
    [
        ({}, "▲ diverging", "diverges", "plot window widened to θ ∈ [-2.5, 2.5], ψ ∈ [-2.5, 2.5]"),
        ({"optimizer": "extragradient", "steps": "2000"}, "▼ converging", "converges", None),
        ({"reg": "r1", "scheme": "alt"}, "● converged", "converges", None),
        ({"loss": "wgan"}, "▲ diverging", "diverges", "1 trajectory leaves it, from (1, 1) diverging"),
        ({"optimizer": "momentum"}, "◆ stalled", "diverges", "1 trajectory leaves it, from (1, 1) stalled"),
    ],
)
def test_phase_status_agrees_with_the_verdict(query, status, verdict, window):
    """Issue 10 item 5: the default page said 'spectral radius 1.00125 → diverges' beside 'cycling, growing',
    and drew the run out of the window without a word. Summary, table and window line now agree."""
    summary, table = phase_status(**query)
    name = status.split()[1]
    assert f"discrete {verdict} locally" in summary and f"trajectories: 1 start: 1 {name}" in summary
    assert f"| {status} | " in table
    assert (window in summary) if window else ("plot window" not in summary)


def test_phase_page_explains_every_status_and_compare_counts_them():
    at = run_page("phase")
    (meanings,) = [shown(m.value) for m in at.markdown if "**converging**" in m.value]
    for name in STATUSES:
        assert f"**{name}**" in meanings
    at = run_page("phase", mode="compare")
    frame = at.dataframe[0].value
    assert list(frame.columns[-len(STATUSES) :]) == list(STATUSES)
    assert all(v.endswith("locally") or v == "undefined" for v in frame["discrete"])


def test_non_smooth_objective_says_why_it_has_no_eigenvalues():
    at = run_page("phase", loss="wgan-gp")
    assert_clean(at)
    assert "No eigenvalues: the objective is not differentiable at the equilibrium" in texts(at)
    at = run_page("phase", optimizer="adam")
    assert "The discrete update has no linearization here (Adam)" in texts(at)


def test_compare_link_typed_with_plus_signs():
    """`compare=gan,gan+r1` typed into the address bar reaches the page as 'gan,gan r1' (form encoding)."""
    at = run_page("phase", mode="compare", compare="gan,gan r1,wgan-gp")
    assert_clean(at)
    assert at.multiselect(key="compare").value == ["gan", "gan+r1", "wgan-gp"]
    assert not at.warning


# The right answers are worked out independently of the pages (by hand, or as noted), never by the pages' calls.
# phase_alt_cycle: 500 alternating GD rounds on the unregularized Dirac-GAN from (θ, ψ) = (1, 1), h = 0.1, written
# out as the plain loop (v = (−ψ·σ(−θψ), θ·σ(−θψ)), Mescheder et al. 2018; the generator moves first):
#     for _ in range(500):
#         th -= 0.1 * ps / (1 + math.exp(ps * th))
#         ps += 0.1 * th / (1 + math.exp(ps * th))
# gives hypot(th, ps) = 1.41544436227066 in floats, and the same to 15 digits with mpmath at 50 digits.
EXERCISES = [
    ("phase", "phase_wgan_growth", "1.2", "1.00499"),
    ("phase", "phase_alt_cycle", "0", "1.41544"),
    ("stability", "stab_real_gamma", "0.5", "1"),
    ("stability", "stab_critical_lr", "4", "1.2"),
    ("stability", "stab_real_sigma", "2", "1.4142"),
    ("optimal", "opt_cg", "-1.3863", "-0.43768"),
    ("optimal", "opt_disjoint_js", "1", "0.693147"),
    ("saturation", "sat_logit", "0.98", "0.02"),
    ("saturation", "sat_ratio", "1", "90.975"),
    ("lipschitz", "lip_w1", "2", "3"),
    ("lipschitz", "lip_kappa", "1", "3"),
]


@pytest.mark.parametrize("name,key,wrong,right", EXERCISES)
def test_exercise_rejects_wrong_and_accepts_right(name, key, wrong, right):
    at = run_page(name)
    infos = len(at.info)
    at.text_input(key=f"answer_{key}").set_value(wrong)
    at.button(key=f"check_{key}").click().run()
    assert any("not right" in e.value for e in at.error)
    at.text_input(key=f"answer_{key}").set_value(right)
    at.button(key=f"check_{key}").click().run()
    assert any("Correct" in s.value for s in at.success)
    assert len(at.info) > infos, "explanation shown after a correct answer"
    at.text_input(key=f"answer_{key}").set_value("abc")
    at.button(key=f"check_{key}").click().run()
    assert any("not a number" in e.value for e in at.error)


def test_phase_alt_exercise_explanation_names_the_optimizers_that_converge_unregularized():
    at = run_page("phase")
    at.text_input(key="answer_phase_alt_cycle").set_value("1.41544")
    at.button(key="check_phase_alt_cycle").click().run()
    explanation = " ".join(i.value for i in at.info)
    assert "extragradient and optimistic GD make it attractive without one" in explanation
    assert "spectral radius 0.99875" in explanation


def test_compare_mode_offers_no_flow_overlay():
    at = run_page("phase", mode="compare", flow="1")
    assert_clean(at)
    assert "flow" not in [c.key for c in at.checkbox]
    assert "flow" in [c.key for c in run_page("phase").checkbox]


def test_switching_to_custom_keeps_the_densities_shown():
    at = run_page("optimal", preset="disjoint")
    at.selectbox(key="preset").set_value("custom").run()
    assert_clean(at)
    assert (at.text_input(key="data").value, at.text_input(key="gen").value) == ("uniform(0, 1)", "uniform(3, 4)")
    assert at.query_params["data"] == "uniform(0, 1)"  # the link now names them


def test_custom_densities_from_the_url():
    at = run_page("optimal", preset="custom", data="uniform(0, 1)", gen="uniform(3, 4)")
    assert_clean(at)
    assert "JS = 0.693147" in at.caption[0].value
    at = run_page("optimal", preset="custom", data="normal(0, -1)", gen="__import__('os')")
    assert_clean(at)
    warnings = warning_text(at)
    assert "data='normal(0, -1)'" in warnings and "sigma must be > 0" in warnings and "gen=" in warnings
    at.text_input(key="gen").set_value("uniform(2, 1)").run()
    assert "a < b" in warning_text(at)
    assert_clean(at)


def test_hide_all_and_doc_classroom_link():
    at = run_page("phase", reg="r1", hide="all")
    assert_clean(at)
    assert not at.sidebar.slider and not at.sidebar.selectbox
    assert figures(at)
    at = run_page("stability", loss="gan", reg="r1", gamma="0.3", lock="loss,reg,gamma,optimizer,scheme")
    assert_clean(at)
    assert at.selectbox(key="loss").disabled and at.slider(key="gamma").disabled
    assert not at.slider(key="lr").disabled
    assert not at.warning


def answers_shown(at) -> list[str]:
    return [t.key.removeprefix("answer_") for t in at.text_input if t.key.startswith("answer_")]


def test_hide_all_shows_no_exercise_that_asks_to_set_a_hidden_control():
    """Both phase exercises set the loss and the regularizer, which /phase?reg=r1&hide=all holds at gan + r1."""
    at = run_page("phase", reg="r1", hide="all")
    assert_clean(at)
    assert answers_shown(at) == []
    assert "Exercises 1, 2 are left out" in texts(at)


def test_a_class_link_keeps_the_exercises_its_locks_allow():
    """The README's classroom link holds GAN + R1 at γ = 0.3, GD, simultaneous: exercises 1 and 2 ask for exactly
    that; exercise 3 needs instance noise, which the lock forbids. A lock at the task's own value is no obstacle."""
    at = run_page("stability", loss="gan", reg="r1", gamma="0.3", lock="loss,reg,gamma,optimizer,scheme")
    assert_clean(at)
    assert answers_shown(at) == ["stab_real_gamma", "stab_critical_lr"]
    assert "Exercise 3 is left out: it needs Regularizer" in texts(at)
    at = run_page("phase", loss="wgan", lock="loss")
    assert answers_shown(at) == ["phase_wgan_growth"]
    at = run_page("phase", lock="lr")  # h is 0.1 in both tasks, the default
    assert answers_shown(at) == ["phase_wgan_growth", "phase_alt_cycle"]


def test_locks_stay_when_the_student_leaves_the_page_and_comes_back():
    """The page reopens as the class link opened it: locks, hidden controls, and the values they hold."""
    at = run_page("stability", loss="wgan", lr="0.5", lock="loss", hide="reg")
    assert at.selectbox(key="loss").disabled
    at.slider(key="lr").set_value(0.7).run()  # free to explore
    for key in list(at.query_params):
        del at.query_params[key]  # what the sidebar link does
    at.switch_page("pages/phase.py").run()
    assert_clean(at)
    assert not at.selectbox(key="loss").disabled and "reg" in [s.key for s in at.selectbox]  # that page is free
    for key in list(at.query_params):
        del at.query_params[key]
    at.switch_page("pages/stability.py").run()
    assert_clean(at)
    assert at.selectbox(key="loss").disabled and "reg" not in [s.key for s in at.selectbox]
    assert at.selectbox(key="loss").value == "wgan" and at.slider(key="lr").value == 0.5
    assert dict(at.query_params) == {"loss": "wgan", "lr": "0.5", "lock": "loss", "hide": "reg"}  # so a reload too


@pytest.mark.parametrize(
    "name,query,named,allowed",
    [
        ("phase", {"gamma": "abc"}, "gamma='abc'", "a number in [0, 10]"),  # γ shows only with a regularizer
        ("phase", {"grid": "3"}, "grid='3'", "an integer in [4, 40]"),  # only with starts=grid
        ("phase", {"compare": "gan,foo"}, "compare='gan,foo'", "a comma-separated list of gan"),
        ("phase", {"mode": "compare", "loss": "foo"}, "loss='foo'", "one of gan, nsgan"),
        ("stability", {"beta": "2"}, "beta='2'", "a number in [0, 0.99]"),  # only with momentum or Adam
        ("stability", {"sweep": "lr"}, "sweep='lr'", "one of gamma, sigma"),  # only with a γ or σ
        ("optimal", {"gen": "normal(0, -1)"}, "gen='normal(0, -1)'", "a distribution spec"),  # only when custom
    ],
)
def test_bad_values_of_controls_not_shown_are_reported_on_load_and_leave_the_url(name, query, named, allowed):
    at = run_page(name, **query)
    assert_clean(at)
    warnings = warning_text(at)
    assert warnings.count(named) == 1 and allowed in warnings
    key = named.split("=")[0]
    assert key not in at.query_params
    at.run()
    assert named not in warning_text(at)  # once


def test_a_control_not_shown_yet_can_be_locked():
    at = run_page("phase", lock="gamma", gamma="2")
    assert_clean(at)
    assert not at.warning
    assert at.query_params["gamma"] == "2"  # a valid value of a control not shown stays, for when it shows
    at.selectbox(key="reg").set_value("r1").run()
    assert at.slider(key="gamma").disabled and at.slider(key="gamma").value == 2.0
    at = run_page("phase", lock="gamma,nonsense")
    assert "lock= names unknown controls nonsense" in warning_text(at)
    assert at.query_params["lock"] == "gamma"  # the unknown name leaves the address bar
