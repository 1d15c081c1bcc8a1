"""ui.memory: a run that imported modules freezes the heap once; a run that imported nothing leaves it alone."""

import gc
import sys
import types

from ui import memory


def test_freeze_only_after_new_imports(monkeypatch):
    monkeypatch.setattr(memory, "_modules_at_freeze", 0)
    gc.unfreeze()
    try:
        memory.freeze_after_imports()
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # the imported modules' objects
        garbage = [[] for _ in range(100)]
        memory.freeze_after_imports()  # nothing imported since: no freeze
        assert gc.get_freeze_count() == frozen
        monkeypatch.setitem(sys.modules, "gdl_test_module", types.ModuleType("gdl_test_module"))
        memory.freeze_after_imports()
        assert gc.get_freeze_count() >= frozen + len(garbage)
    finally:
        gc.unfreeze()
