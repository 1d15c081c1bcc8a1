"""Showing a figure the same way everywhere: the image, a text summary of its key numbers, and downloads of the
figure (PNG, SVG) and of its data (CSV or JSON). The SVG is drawn only when someone clicks its button."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import streamlit as st
from matplotlib.figure import Figure

from dynamics.contracts import to_jsonable

DPI = 120  # screen: the image is stretched to its column (up to ~1.5× at 1920 px), so drawn sharper than 80 dpi
# (+10 ms on the phase portrait, 57 → 66 ms); downloads use 150


def figure_bytes(fig: Figure, fmt: str = "png", dpi: int = DPI) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi)
    return buf.getvalue()


def to_csv(header: list[str], rows) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def to_json(obj) -> str:
    return json.dumps(to_jsonable(obj), indent=1, allow_nan=False)


def download_label(name: str, filename: str) -> str:
    """'CSV: paths' for phase-gan-paths.csv under the figure phase-gan: the format and what the file holds, read
    from the file name past the figure's (a file named like its figure is a programming error: no label)."""
    stem, ext = filename.rsplit(".", 1)
    what = stem.removeprefix(name).strip("-").replace("-", " ")
    if not stem.startswith(name) or not what:
        raise ValueError(f"download {filename!r} of figure {name!r}: name it {name}-<what it holds>.{ext}")
    return f"{ext.upper()}: {what}"


def show_figure(png: bytes, make: Callable[[], Figure], name: str, summary: str, data: dict[str, Callable]) -> None:
    """The figure (pre-rendered PNG), its summary, and download buttons.

    `make` rebuilds the Figure for the high-resolution downloads; `data` maps a file name (`name`-<what it
    holds>.csv or .json, which gives its button's label) to a function returning its text. All downloads are
    generated on click.
    """
    st.image(png, width="stretch")  # the width it is given: no blank half page at 1920 px, no overflow on a phone
    st.caption(summary)
    downloads(make, name, data)


def downloads(make: Callable[[], Figure], name: str, data: dict[str, Callable]) -> None:
    """PNG and SVG of the matplotlib figure `make` draws, and the data files, each made when its button is clicked
    (so a figure the browser draws costs no matplotlib until someone downloads it)."""
    with st.container(horizontal=True):  # one block that wraps on a narrow screen, not a column per button
        st.download_button(
            "PNG: figure",
            lambda: figure_bytes(make(), "png", 150),
            f"{name}.png",
            "image/png",
            key=f"dl_{name}_png",
            on_click="ignore",
        )
        st.download_button(
            "SVG: figure",
            lambda: figure_bytes(make(), "svg"),
            f"{name}.svg",
            "image/svg+xml",
            key=f"dl_{name}_svg",
            on_click="ignore",
        )
        for filename, text in data.items():
            mime = "text/csv" if filename.endswith(".csv") else "application/json"
            label = download_label(name, filename)
            st.download_button(label, text, filename, mime, key=f"dl_{filename}", on_click="ignore")
