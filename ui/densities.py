"""Controls shared by the 1-D theory pages: two densities from presets or the spec language."""

from __future__ import annotations

import streamlit as st

from dynamics.oned.distributions import SpecError
from dynamics.oned.specs import parse
from ui import controls

PRESETS = {
    "gaussians": ("normal(0, 1)", "normal(2, 0.5)", "two Gaussians, overlapping"),
    "far": ("normal(0, 1)", "normal(4, 0.5)", "two Gaussians, far apart"),
    "disjoint": ("uniform(0, 1)", "uniform(3, 4)", "disjoint supports"),
    "equal": ("normal(0, 1)", "normal(0, 1)", "p_g = p_data"),
    "bimodal": ("mixture(0.5*normal(-2, 0.5), 0.5*normal(2, 0.5))", "normal(2, 0.5)", "one mode of two (collapse)"),
    "tails": ("laplace(0, 1)", "normal(0, 1)", "heavy vs light tails"),
    "custom": (None, None, "custom: type your own specs"),
}
SPEC_HELP = (
    "normal(μ, σ), uniform(a, b), laplace(μ, b), mixture(w*dist, ...), kde(x1, x2, ...[, bw=h]), "
    "transport(t, dist, dist)"
)


SHOWN = "_densities_shown"  # the specs the last preset showed: switching to 'custom' opens the boxes with them


def _spec(key: str, label: str, default: str, show: bool = True):
    """A spec box; not shown (a preset is chosen), it is only declared and gives None."""
    text = controls.text(
        key, label, default, parse, "a distribution spec such as normal(0, 1)", help=SPEC_HELP, show=show
    )
    if text is None:
        return None
    try:
        return parse(text)
    except SpecError as err:
        st.warning(controls.plain(f"{label} {text!r} is not valid: {err}. Using the default {default}."))
        return parse(default)


def densities(default: str = "gaussians"):
    """(p_data, p_g) from a preset or, with the preset 'custom', from two spec text boxes."""
    preset = controls.select("preset", "Densities", list(PRESETS), default, fmt=lambda k: PRESETS[k][2])
    custom = preset == "custom"
    if custom:
        for key, spec in zip(("data", "gen"), st.session_state.get(SHOWN, ()), strict=False):
            if key not in st.session_state and key not in st.query_params:  # switched to custom: keep what was shown
                st.session_state[key] = spec
    data = _spec("data", "p_data", PRESETS[default][0], show=custom)
    gen = _spec("gen", "p_g", PRESETS[default][1], show=custom)
    if custom:
        return data, gen
    data, gen, _ = PRESETS[preset]
    st.caption(f"p_data = `{data}`, p_g = `{gen}`")
    st.session_state[SHOWN] = (data, gen)
    return parse(data), parse(gen)


DATA_PRESETS = {
    "bimodal": "mixture(0.5*normal(-2, 0.5), 0.5*normal(2, 0.5))",
    "trimodal": "mixture(normal(-3, 0.3), normal(0, 0.3), normal(3, 0.3))",
    "gaussian": "normal(0, 1)",
    "uniform": "uniform(0, 1)",
    "laplace": "laplace(0, 1)",
    "custom": None,
}


def density(default: str = "bimodal"):
    """One density for the training pages: a preset, or any spec with 'custom'."""
    name = controls.select(
        "density", "Data density", list(DATA_PRESETS), default, fmt=lambda k: DATA_PRESETS[k] or "custom"
    )
    data = _spec("data", "p_data", DATA_PRESETS[default], show=name == "custom")
    return parse(DATA_PRESETS[name]) if data is None else data
