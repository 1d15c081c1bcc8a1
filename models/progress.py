"""A small terminal progress bar (tqdm is not a dependency): one line on stderr, redrawn at most 10×/s."""

from __future__ import annotations

import sys
import time


class Bar:
    def __init__(self, total, start=0, stream=None, width=30):
        self.total, self.start, self.width = max(total, 1), start, width
        self.stream = stream or sys.stderr
        self.t0 = self.last = time.monotonic()

    def update(self, step, text=""):
        now = time.monotonic()
        if now - self.last < 0.1 and step < self.total:
            return
        self.last = now
        done = int(self.width * step / self.total)
        rate = (step - self.start) / max(now - self.t0, 1e-9)
        eta = (self.total - step) / rate if rate > 0 else 0.0
        bar = "#" * done + "-" * (self.width - done)
        self.stream.write(f"\r[{bar}] {step}/{self.total} {rate:.1f} it/s eta {eta:.0f}s {text}\x1b[K")
        self.stream.flush()

    def close(self):
        self.stream.write("\n")
        self.stream.flush()
