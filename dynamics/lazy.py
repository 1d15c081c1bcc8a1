"""Modules imported on first use. sympy and scipy cost 0.2–0.5 s to import; a CLI run that finds the generated
numeric forms (dynamics.dirac.forms) needs neither, so the modules that derive with them import them lazily."""

from __future__ import annotations

import importlib


class Lazy:
    """A module imported on the first attribute access (`sp = Lazy("sympy")`; `sp.Max` imports sympy).

    Every access goes through importlib.import_module, whose lock makes a first use from two threads safe."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name), attr)
