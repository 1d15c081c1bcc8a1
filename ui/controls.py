"""Widgets whose values live in the URL, classroom lock/hide options and the share link.

Every control has a key that is also its query parameter. On a page's first run the value comes from the
URL (a bad value gets a warning naming it and the allowed range, leaves the URL, and the default is used);
after every run the URL holds each value that differs from its default, so the address bar is always a link to
the current view. A control that the current settings do not show (γ while there is no regularizer) is still
declared with `show=False`: its URL value is checked on load the same way, and lock=/hide= may name it.
`?lock=gamma,lr` disables chosen controls, `?hide=loss` hides them (their URL or default value still applies);
`all` locks or hides every control of the page. A page opened from such a class link reopens as the link opened
it for the rest of the visit (the browser session), so a student who leaves through the sidebar finds it locked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from ui.navigation import PAGES, ensure_router

CLASSROOM = ("lock", "hide")


def plain(text: str) -> str:
    """Text shown literally by st.warning & co.: markdown and LaTeX characters escaped, so a spec such as
    mixture(0.5*normal(0, 1), …) keeps its '*' and can be copied back."""
    return re.sub(r"([\\`*_{}\[\]<>#|~$])", r"\\\1", str(text))


@dataclass(frozen=True)
class Control:
    """A control of this run: its default, the text form of its value, its label, and whether it is drawn."""

    default: object
    text: str
    label: str
    shown: bool


def _names(param: str) -> list[str]:
    """The names in ?lock= or ?hide=, in order, once each."""
    return list(dict.fromkeys(s.strip() for s in st.query_params.get(param, "").split(",") if s.strip()))


def _controls() -> dict[str, Control]:
    """This run's controls by key, shown or not; reset at the top of each page."""
    return st.session_state.setdefault("_controls", {})


def _classroom() -> dict[str, dict[str, str]]:
    """Per page path, the query of the class link (one with lock= or hide=) the page was opened with in this
    browser session, less the values found bad."""
    return st.session_state.setdefault("_classroom", {})


def start_page(path: str) -> None:
    """Call first on every page: the page's title from ui.navigation's table; forget the controls of the previous
    run, and their values too when that run was another page. Pages share keys with other ranges (`lr`, `steps`,
    `optimizer`, …), so a value must not carry over: each page opens from its URL or its defaults.

    A page opened from a class link reopens as that link opened it for the rest of the visit: the sidebar opens a
    page with an empty query, and the page puts the link's query back (into the URL too, so a reload keeps it)."""
    ensure_router()
    st.title(next(page.title for page in PAGES if page.path == path))
    if st.session_state.get("_page") != path:
        for key in (*_controls(), "_share_lock", "_share_hide", "_densities_shown"):
            st.session_state.pop(key, None)
        st.session_state["_page"] = path
        if any(param in st.query_params for param in CLASSROOM):
            _classroom()[path] = st.query_params.to_dict()
        else:
            st.query_params.update(_classroom().get(path, {}))
    st.session_state["_controls"] = {}


def _fmt(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    return str(value)


def _from_url(key: str, default, parse, allowed: str, label: str):
    """The URL's value of `key`, or the default: a bad value gets one warning naming it and the allowed range,
    and leaves the URL (so it is reported once, and the address bar carries only valid values)."""
    if key not in st.query_params:
        return default
    text = st.query_params[key]
    try:
        return parse(text)
    except (TypeError, ValueError) as err:
        why = f" ({err})" if str(err) not in ("", text) else ""
        st.warning(
            plain(
                f"URL parameter {key}={text!r} is not valid{why}: {label} must be {allowed}. "
                f"Using the default {_fmt(default) or '(none)'}."
            )
        )
        del st.query_params[key]
        _classroom().get(st.session_state.get("_page"), {}).pop(key, None)
        return default


def _held(key: str, param: str) -> bool:
    names = _names(param)
    return key in names or "all" in names


def _control(key: str, default, parse, allowed: str, widget, label: str, show: bool = True):
    """Seed the widget from the URL once, draw it (or not, when hidden), write its value back to the URL.

    With `show=False` the control is only declared: its URL value is checked (a valid one stays in the URL for
    when the control shows) and None is returned. A shown declaration of a key wins over one not shown."""
    controls = _controls()
    if not show:
        if key not in controls:
            value = _from_url(key, default, parse, allowed, label)
            controls[key] = Control(default, _fmt(value), label, False)
        return None
    if key not in st.session_state:
        st.session_state[key] = _from_url(key, default, parse, allowed, label)
    if _held(key, "hide"):
        value = st.session_state[key]
    else:
        value = widget(disabled=_held(key, "lock"))
    text = _fmt(value)
    controls[key] = Control(default, text, label, True)
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != text:
        st.query_params[key] = text
    return value


def _number(low: float, high: float, integer: bool):
    def parse(text: str):
        value = float(text)
        if not math.isfinite(value) or not low <= value <= high or (integer and value != int(value)):
            raise ValueError(text)
        return int(value) if integer else value

    return parse


def slider(
    key: str, label: str, low, high, default, step=None, help: str | None = None, where=st, format=None, show=True
):
    """A numeric slider (int when all bounds are ints) bound to the URL."""
    integer = all(isinstance(v, int) for v in (low, high, default))
    kind = "an integer" if integer else "a number"
    return _control(
        key,
        default,
        _number(low, high, integer),
        f"{kind} in [{low:g}, {high:g}]",
        # The value is the session's (seeded by _control); passing it spares Streamlit a copy of the whole
        # session state that a slider without one makes to guess whether it is a range.
        lambda disabled: where.slider(
            label, low, high, st.session_state[key], step, key=key, help=help, disabled=disabled, format=format
        ),
        label,
        show,
    )


def number(key: str, label: str, low: int, high: int, default: int, help: str | None = None, where=st, show=True):
    """An integer box (seeds, step counts) bound to the URL."""
    return _control(
        key,
        default,
        _number(low, high, True),
        f"an integer in [{low}, {high}]",
        lambda disabled: where.number_input(label, low, high, step=1, key=key, help=help, disabled=disabled),
        label,
        show,
    )


def select(
    key: str, label: str, options, default, help: str | None = None, radio: bool = False, fmt=str, where=st, show=True
):
    """A selectbox (or horizontal radio) bound to the URL; the URL holds the option's name."""
    options = list(options)

    def parse(text: str):
        if text not in options:
            raise ValueError(text)
        return text

    draw = where.radio if radio else where.selectbox
    extra = {"horizontal": True} if radio else {}
    return _control(
        key,
        default,
        parse,
        "one of " + ", ".join(options),
        lambda disabled: draw(label, options, key=key, help=help, disabled=disabled, format_func=fmt, **extra),
        label,
        show,
    )


def multiselect(
    key: str, label: str, options, default: list, help: str | None = None, where=st, show=True, most: int | None = None
):
    """A multiselect bound to the URL as a comma-separated list of at most `most` options. A '+' typed into a link
    (gan+r1) arrives as a space under form encoding, so a name that is only an option with '+' for its spaces is
    read as that option."""
    options = list(options)
    most = most or len(options)

    def canonical(name: str) -> str:
        return name if name in options else name.replace(" ", "+")

    def parse(text: str):
        chosen = [canonical(s.strip()) for s in text.split(",") if s.strip()]
        if not chosen or len(chosen) > most or any(s not in options for s in chosen):
            raise ValueError(text)
        return chosen

    return _control(
        key,
        list(default),
        parse,
        (f"at most {most} of " if most < len(options) else "") + "a comma-separated list of " + ", ".join(options),
        lambda disabled: where.multiselect(label, options, key=key, help=help, disabled=disabled, max_selections=most),
        label,
        show,
    )


def toggle(key: str, label: str, default: bool = False, help: str | None = None, where=st, show=True):
    """A checkbox bound to the URL as 1/0."""

    def parse(text: str):
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(text)

    return _control(
        key,
        default,
        parse,
        "1 or 0",
        lambda disabled: where.checkbox(label, key=key, help=help, disabled=disabled),
        label,
        show,
    )


def text(key: str, label: str, default: str, parse, allowed: str, help: str | None = None, where=st, show=True):
    """A text box bound to the URL; `parse` raises ValueError on bad text (checked for URL values here; the page
    checks what the user types)."""
    return _control(
        key,
        default,
        lambda t: (parse(t), t)[1],
        allowed,
        lambda disabled: where.text_input(label, key=key, help=help, disabled=disabled),
        label,
        show,
    )


def state(key: str, label: str, default: str, parse, allowed: str, show: bool = True):
    """A value with no widget of its own (a chart sets it with `set_state`), bound to the URL like every control:
    checked on load, written back after each run, lockable; `parse` returns the canonical text or raises."""
    return _control(key, default, parse, allowed, lambda disabled: st.session_state[key], label, show)


def set_state(key: str, text: str) -> None:
    """Set a `state` value from a callback and write it to the URL at once (a fragment rerun writes nothing)."""
    st.session_state[key] = text
    default = _controls()[key].default if key in _controls() else ""
    if text == default:
        if key in st.query_params:
            del st.query_params[key]
    else:
        st.query_params[key] = text


def held(key: str) -> bool:
    """Whether lock= or hide= holds this control."""
    return _held(key, "lock") or _held(key, "hide")


def page_link(path: str, values: dict, lock=(), hide=()) -> str:
    """The link to a page with the given non-default values and classroom options."""
    base = st.context.url or f"http://localhost:8501/{path}"
    query = dict(values)
    if lock:
        query["lock"] = ",".join(lock)
    if hide:
        query["hide"] = ",".join(hide)
    return base + ("?" + urlencode(query, safe=",") if query else "")


def held_otherwise(needs: Mapping[str, object]) -> list[str]:
    """Labels of the controls in `needs` that lock=/hide= hold at a value other than the one needed (what makes
    a task that sets them impossible). A key that is no control of the page is a mistake of the page: KeyError."""
    controls = _controls()
    unknown = [key for key in needs if key not in controls]
    if unknown:
        raise KeyError(f"{', '.join(unknown)}: no control of this page")
    return [
        controls[key].label
        for key, value in needs.items()
        if (_held(key, "lock") or _held(key, "hide")) and controls[key].text != _fmt(value)
    ]


def share_box(path: str) -> str:
    """'Share this view': the link to the current state (st.code has a copy button) and a classroom-link builder.

    Also warns about names in ?lock= / ?hide= that are no control of this page (shown or not), and drops them from
    the URL and from what the visit keeps for the page. Returns the plain link.
    """
    controls = _controls()
    values = {k: c.text for k, c in controls.items() if c.shown and c.text != _fmt(c.default)}
    for param in CLASSROOM:
        names = _names(param)
        unknown = [n for n in names if n not in controls and n != "all"]
        if unknown:
            st.warning(
                plain(
                    f"URL parameter {param}= names unknown controls {', '.join(unknown)}; "
                    f"allowed: all, {', '.join(controls)}."
                )
            )
            known = ",".join(n for n in names if n not in unknown)
            saved = _classroom().get(path, {})
            if known:
                st.query_params[param] = saved[param] = known
            else:
                del st.query_params[param]
                saved.pop(param, None)
    link = page_link(path, values)
    with st.expander("Share this view / make a classroom link"):
        st.caption("This link reproduces exactly what you see (copy it with the button at the right):")
        st.code(link, language=None)
        st.caption(
            "For a class: lock (disable) or hide controls in the link you hand out. Locks guide a class; they are "
            "not access control (a student can edit the link)."
        )
        lock = st.multiselect("lock", list(controls), key="_share_lock")
        hide = st.multiselect("hide", list(controls), key="_share_hide")
        if lock or hide:
            st.code(page_link(path, values, lock, hide), language=None)
    return link
