"""A hostile pickle for the tests of checkpoint loading (a helper module, not a test module)."""


class Planted:
    """Unpickled by an unrestricted loader, creates `marker` (a stand-in for any code a planted file could run)."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))
