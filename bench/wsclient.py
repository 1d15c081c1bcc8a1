"""A Streamlit client without a browser: one session over the server's websocket (`/_stcore/stream`), speaking
its protobuf messages (BackMsg out, ForwardMsg in), for the load benchmark and the replica tests.

A session opens a page (a rerun with no widget states), learns the widgets the page drew (id, label, value)
and moves one by sending a rerun with the new value, as the browser does; `rerun` returns when the server
reports the script finished, with the wall time and the exceptions the page showed; `click` presses a button.
`follow` plays a fragment with `run_every` as the browser does: the server sends `auto_rerun` {interval, fragment
id} and the browser then asks for a rerun of that fragment every interval (`is_auto_rerun`), until a full run
starts (which clears the timers) or the server sends `stop_auto_rerun`. Cookies given to `open`
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
    texts: list[str] = field(default_factory=list)  # progress bars' texts and markdown (captions) the run showed


def cookie_of(url: str) -> str:
    """The Cookie header a browser would send after loading `url` (the replica cookie behind the proxy)."""
    with urllib.request.urlopen(url, timeout=60) as r:  # noqa: S310 - the bench's own loopback server
        return "; ".join(c.split(";", 1)[0] for c in r.headers.get_all("Set-Cookie") or [])


class Session:
    """One student's tab: a websocket to the server, the page's widgets and its reruns."""

    def __init__(self, ws, page: str, query: str):
        self.ws, self.page, self.query = ws, page, query
        self.widgets: dict[str, Widget] = {}
        self.auto: dict[str, float] = {}  # fragment id -> seconds between its auto reruns (the browser's timers)

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
        return await self._run(self._message(values), timeout)

    async def click(self, label: str, timeout: float = 180.0) -> Rerun:
        """Press the button labelled `label` (a trigger, true for this run only) and wait for the whole run."""
        msg = self._message({})
        state = msg.rerun_script.widget_states.widgets.add()
        state.id, state.trigger_value = self.widget(label).id, True
        return await self._run(msg, timeout)

    async def follow(self, seconds: float) -> list[Rerun]:
        """Send the auto reruns of the page's fragments for `seconds`, as the browser's timers do; one Rerun per
        fragment run finished, its `seconds` from the earliest request it answered (those sent before it
        started: the server folds pending requests of a fragment into one run) to its end. A request carries no
        widget states: the server keeps the last ones it got, as the browser's unchanged states would set them."""
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        timers: dict[tuple[str, float], asyncio.Task] = {}
        sent: list[float] = []  # requests not yet taken up by a run
        taken: list[float] = []  # those the run in progress answers
        runs, out, fragment = [], Rerun(0.0), False

        async def timer(fragment_id: str, interval: float) -> None:
            while True:
                await asyncio.sleep(interval)
                msg = self._message({})
                msg.rerun_script.fragment_id, msg.rerun_script.is_auto_rerun = fragment_id, True
                sent.append(time.perf_counter())
                await self.ws.send(msg.SerializeToString())

        try:
            while (left := end - loop.time()) > 0:
                for key in [k for k in timers if self.auto.get(k[0]) != k[1]]:
                    timers.pop(key).cancel()
                for key in self.auto.items():
                    if key not in timers:
                        timers[key] = asyncio.create_task(timer(*key))
                try:
                    async with asyncio.timeout(left):
                        fwd = await self._receive(out)
                except TimeoutError:
                    break
                kind = fwd.WhichOneof("type")
                if kind == "new_session":
                    taken, sent[:] = list(sent), []
                    out, fragment = Rerun(0.0), bool(fwd.metadata.run.fragment_ids)
                elif kind == "script_finished":  # any status: a run's finish queued behind the next one reads 'early'
                    if fragment and taken:
                        out.seconds = time.perf_counter() - taken[0]
                        runs.append(out)
                    taken = []
        finally:
            for task in timers.values():
                task.cancel()
        return runs

    def _message(self, values: dict[str, object]) -> BackMsg:
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
        return msg

    async def _run(self, msg: BackMsg, timeout: float) -> Rerun:
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        out = Rerun(0.0)
        async with asyncio.timeout(timeout):
            while True:
                fwd = await self._receive(out)
                if fwd.WhichOneof("type") == "script_finished" and fwd.script_finished in DONE:
                    out.seconds = time.perf_counter() - t0
                    return out

    async def _receive(self, out: Rerun) -> ForwardMsg:
        """The next message from the server, its elements read into `out` and the fragments' timers kept."""
        fwd = ForwardMsg()
        fwd.ParseFromString(await self.ws.recv())
        kind = fwd.WhichOneof("type")
        if kind == "delta":
            self._read(fwd, out)
        elif kind == "new_session" and not fwd.metadata.run.fragment_ids:
            self.auto.clear()  # a whole run: the browser drops every timer (the run's fragments set theirs again)
        elif kind == "auto_rerun":
            self.auto[fwd.auto_rerun.fragment_id] = fwd.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            for fragment_id in fwd.stop_auto_rerun.fragment_ids:
                self.auto.pop(fragment_id, None)
        return fwd

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
        elif kind == "progress":
            out.texts.append(el.progress.text)
        elif kind == "markdown":
            out.texts.append(el.markdown.body)
        elif kind in KINDS:
            w = getattr(el, kind)
            value = list(w.value or w.default) if kind == "slider" else getattr(w, "value", None)
            self.widgets.setdefault(w.id, Widget(w.id, kind, w.label, value)).label = w.label  # Play -> Pause

    async def close(self) -> None:
        await self.ws.close()
