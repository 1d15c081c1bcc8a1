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

DPI = 80  # screen resolution: cheap to draw, sharp enough; downloads use 150


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


def show_figure(png: bytes, make: Callable[[], Figure], name: str, summary: str, data: dict[str, Callable]) -> None:
    """The figure (pre-rendered PNG), its summary, and download buttons.

    `make` rebuilds the Figure for the high-resolution downloads; `data` maps a file name (ending in .csv or
    .json) to a function returning its text. All downloads are generated on click.
    """
    st.image(png)
    st.caption(summary)
    downloads(make, name, data)


def downloads(make: Callable[[], Figure], name: str, data: dict[str, Callable]) -> None:
    """PNG and SVG of the matplotlib figure `make` draws, and the data files, each made when its button is clicked
    (so a figure the browser draws costs no matplotlib until someone downloads it)."""
    columns = st.columns(2 + len(data))
    columns[0].download_button(
        "PNG",
        lambda: figure_bytes(make(), "png", 150),
        f"{name}.png",
        "image/png",
        key=f"dl_{name}_png",
        on_click="ignore",
    )
    columns[1].download_button(
        "SVG",
        lambda: figure_bytes(make(), "svg"),
        f"{name}.svg",
        "image/svg+xml",
        key=f"dl_{name}_svg",
        on_click="ignore",
    )
    for column, (filename, text) in zip(columns[2:], data.items(), strict=True):
        mime = "text/csv" if filename.endswith(".csv") else "application/json"
        label = filename.rsplit(".", 1)[-1].upper() + " data"
        column.download_button(label, text, filename, mime, key=f"dl_{filename}", on_click="ignore")
