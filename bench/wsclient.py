"""A Streamlit client without a browser: one session over the server's websocket (`/_stcore/stream`), speaking
its protobuf messages (BackMsg out, ForwardMsg in), for the load benchmark and the replica tests.

A session opens a page (a rerun with no widget states), learns the widgets the page drew (id, label, value)
and moves one by sending a rerun with the new value, as the browser does; `rerun` returns when the server
reports the script finished, with the wall time and the exceptions the page showed. Cookies given to `open`
(nginx's replica cookie) go with the websocket handshake, so a session sticks to a replica like a browser's.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

DONE = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)  # a whole run, not a fragment's
KINDS = ("slider", "number_input", "selectbox", "checkbox", "radio", "button")


@dataclass
class Widget:
    id: str
    kind: str
    label: str
    value: object = None


@dataclass
class Rerun:
    """One script run seen from the client: seconds from the request to 'script finished', and its errors."""

    seconds: float
    errors: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # /media/... URLs of the images the run showed
    components: list[tuple[str, int]] = field(default_factory=list)  # custom components: (name, bytes of code)


def cookie_of(url: str) -> str:
    """The Cookie header a browser would send after loading `url` (the replica cookie behind the proxy)."""
    with urllib.request.urlopen(url, timeout=60) as r:  # noqa: S310 - the bench's own loopback server
        return "; ".join(c.split(";", 1)[0] for c in r.headers.get_all("Set-Cookie") or [])


class Session:
    """One student's tab: a websocket to the server, the page's widgets and its reruns."""

    def __init__(self, ws, page: str, query: str):
        self.ws, self.page, self.query = ws, page, query
        self.widgets: dict[str, Widget] = {}

    @classmethod
    async def open(cls, url: str, page: str = "", query: str = "", cookie: str = "", timeout: float = 180.0):
        """Connect to the server at `url` (http://host:port), run `page` once; returns (session, first rerun)."""
        ws_url = url.replace("http://", "ws://", 1) + "/_stcore/stream"
        headers = {"Cookie": cookie} if cookie else {}
        ws = await connect(ws_url, subprotocols=["streamlit"], additional_headers=headers, max_size=None)
        s = cls(ws, page, query)
        return s, await s.rerun({}, timeout)

    def widget(self, label: str) -> Widget:
        for w in self.widgets.values():
            if w.label == label:
                return w
        raise KeyError(f"no widget labelled {label!r} on /{self.page}: {[w.label for w in self.widgets.values()]}")

    async def rerun(self, values: dict[str, object], timeout: float = 180.0) -> Rerun:
        """Rerun the page with widget `values` ({label: value}; sliders and numbers as floats)."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string, cs.page_name = self.query, self.page
        for label, value in values.items():
            w = self.widget(label)
            w.value = value
            state = cs.widget_states.widgets.add()
            state.id = w.id
            if w.kind == "slider":
                state.double_array_value.data.append(float(value))
            elif isinstance(value, bool):
                state.bool_value = value
            elif w.kind in ("selectbox", "radio"):
                state.int_value = int(value)  # the option's index
            else:
                state.double_value = float(value)
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        out = Rerun(0.0)
        async with asyncio.timeout(timeout):
            while True:
                fwd = ForwardMsg()
                fwd.ParseFromString(await self.ws.recv())
                kind = fwd.WhichOneof("type")
                if kind == "delta":
                    self._read(fwd, out)
                elif kind == "script_finished" and fwd.script_finished in DONE:
                    out.seconds = time.perf_counter() - t0
                    return out

    def _read(self, fwd: ForwardMsg, out: Rerun) -> None:
        delta = fwd.delta
        if delta.WhichOneof("type") != "new_element":
            return
        el = delta.new_element
        kind = el.WhichOneof("type")
        if kind == "exception":
            out.errors.append(f"{el.exception.type}: {el.exception.message}")
        elif kind == "imgs":
            out.media += [img.url for img in el.imgs.imgs]
        elif kind == "bidi_component":
            out.components.append((el.bidi_component.component_name, len(el.bidi_component.js_content)))
        elif kind in KINDS:
            w = getattr(el, kind)
            value = list(w.value or w.default) if kind == "slider" else getattr(w, "value", None)
            self.widgets.setdefault(w.id, Widget(w.id, kind, w.label, value))

    async def close(self) -> None:
        await self.ws.close()
