"""A Lazy module is imported on its first attribute access, not before."""

import subprocess
import sys

from tests.dirac.test_phase_cli import ROOT

CODE = """
import sys
from dynamics.lazy import Lazy
colorsys = Lazy("colorsys")
before = "colorsys" in sys.modules
print(before, colorsys.rgb_to_hsv(1.0, 0.0, 0.0), "colorsys" in sys.modules)
"""


def test_imported_on_first_use_only():
    out = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "(0.0,", "1.0,", "1.0)", "True"]
