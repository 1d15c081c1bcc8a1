"""Garbage collection out of the way of each rerun. Streamlit runs a full `gc.collect(2)` after every script run
(runner.postScriptGC, kept on so memory does not build up); on this app's heap (numpy, scipy, sympy, matplotlib,
torch: ~190,000 objects after the imports alone) one such collection takes ~70 ms on 2 cores, more than the rest of
a cached rerun. The modules' objects live as long as the process, so after a run that imported new modules they are
moved out of the collector's generations (`gc.freeze`, CPython ≥ 3.7); later collections scan only what runs
create. The number of freezes is bounded by the number of runs that import something, a handful per process.
"""

import gc
import sys

_modules_at_freeze = 0


def freeze_after_imports() -> None:
    """Call at the end of a run: if it imported modules, collect once and freeze what survives."""
    global _modules_at_freeze
    if len(sys.modules) != _modules_at_freeze:
        gc.collect()
        gc.freeze()
        _modules_at_freeze = len(sys.modules)
