"""Helpers for the AppTest modules (not a test module): run a page of app.py and read what it shows."""

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def run_page(name: str, **query) -> AppTest:
    """pages/<name>.py run through app.py's router, with `query` as the URL's query parameters."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(f"pages/{name}.py")
    return at.run()


def shown(markdown: str) -> str:
    """Markdown as a reader sees it: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> str:
    """All visible text of the page."""
    parts = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "text", "code", "latex"):
        parts += [shown(str(e.value)) for e in at.get(kind)]
    return "\n".join(parts)


def warning_text(at: AppTest) -> str:
    return " ".join(shown(w.value) for w in at.warning)


def assert_clean(at: AppTest, context: str = "") -> None:
    assert not at.exception, f"{context}: {[e.value for e in at.exception]}"
    assert "Traceback" not in texts(at), context
    assert not at.error, f"{context}: {[e.value for e in at.error]}"


def image_urls(at: AppTest) -> list[str]:
    return [img.proto.imgs[0].url for img in at.get("image")]


def figures(at: AppTest) -> list[str]:
    """Every figure of the main area in order, as what identifies its content: a chart's payload (ui.charts, drawn
    by the browser) or an image's URL."""
    out = []
    for node in at.main:  # the block and all its descendants, in order
        kind = getattr(node, "type", None)
        if kind == "bidi_component":
            out.append(node.proto.json)
        elif kind == "image":
            out.append(node.proto.imgs[0].url)
    return out
