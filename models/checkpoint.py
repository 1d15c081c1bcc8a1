"""Checkpoints written atomically (temporary file in the same directory, fsync, then rename), so a crash or
Ctrl-C while saving never leaves a half-written file in place of the last good one.

A checkpoint file is untrusted input (a shared classroom server: anyone may plant a `checkpoint.pt`), so
`load` uses torch's weights-only unpickler: tensors, numbers, strings, None, lists, tuples and dicts (and
torch's dtypes and devices), never an arbitrary object, so loading runs no code from the file. `save`
writes only those types: numpy arrays become tensors and numpy scalars Python numbers; anything else is
refused at save time, so every checkpoint this program writes is one it can read back. A file that the
weights-only unpickler refuses, or that is not a readable checkpoint at all, raises InputError with one line
naming the file and why."""

from __future__ import annotations

import os
import pickle  # nosec B403 # only for the UnpicklingError class torch.load raises; nothing is unpickled here
import re
import tempfile
import warnings
from collections import OrderedDict

import numpy as np
import torch

from dynamics.contracts import InputError

ALLOWED = "only tensors, numbers, strings, lists and dicts"
# What torch.load raises on a refused, corrupt, truncated or missing file (the unpickler's refusals are
# UnpicklingError; a damaged zip archive a RuntimeError; legacy formats can raise the others).
LOAD_ERRORS = (
    pickle.UnpicklingError,
    EOFError,
    OSError,
    RuntimeError,
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    ImportError,
    OverflowError,
)
LEAVES = (str, bytes, int, float, bool, type(None), torch.dtype, torch.device, torch.Size)


def rng_state(rng: np.random.Generator):
    """Every random stream a run draws from: torch CPU (and CUDA) as ByteTensors, and the numpy data sampler
    (its bit generator's state: a dict of strings and ints)."""
    state = {"torch": torch.get_rng_state(), "numpy": rng.bit_generator.state}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state, rng: np.random.Generator):
    torch.set_rng_state(state["torch"])
    rng.bit_generator.state = state["numpy"]
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def plain(obj, where="checkpoint"):
    """`obj` with numpy arrays as tensors and numpy scalars as Python numbers, so the weights-only unpickler
    reads it back; TypeError names the first value of any other type. Containers that need no change are
    kept as they are (a state_dict stays an OrderedDict with its version _metadata)."""
    if isinstance(obj, np.ndarray):
        return torch.from_numpy(np.ascontiguousarray(obj))
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, torch.Tensor) or type(obj) in LEAVES:  # exact types: a str or int subclass is refused
        return obj
    if isinstance(obj, dict):
        pairs = [(plain(k, f"a key of {where}"), plain(v, f"{where}[{k!r}]")) for k, v in obj.items()]
        if type(obj) in (dict, OrderedDict) and all(
            k2 is k and v2 is v for (k2, v2), (k, v) in zip(pairs, obj.items(), strict=True)
        ):
            return obj
        return dict(pairs)
    if isinstance(obj, list | tuple):
        out = [plain(v, f"{where}[{i}]") for i, v in enumerate(obj)]
        if type(obj) in (list, tuple) and all(a is b for a, b in zip(out, obj, strict=True)):
            return obj
        return tuple(out) if isinstance(obj, tuple) else out
    raise TypeError(f"{where} is a {type(obj).__qualname__}; a checkpoint holds {ALLOWED}")


def save(path, obj):
    """torch.save to `path` atomically, after converting `obj` to what `load` accepts (see `plain`)."""
    obj = plain(obj)
    path = os.fspath(path)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".ckpt-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(obj, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def why(err: BaseException) -> str:
    """One short clause saying why torch.load refused or could not read a file."""
    text = str(err)
    found = re.search(r"GLOBAL ([\w.]+)", text)
    if found:
        return f"it would load {found.group(1)}, and a checkpoint may hold {ALLOWED}"
    if isinstance(err, pickle.UnpicklingError):
        return f"it is not a checkpoint this program wrote (a checkpoint may hold {ALLOWED})"
    if isinstance(err, EOFError):
        return "it is empty or cut short"
    if isinstance(err, OSError):
        return err.strerror or type(err).__name__
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return f"it is not a readable torch checkpoint ({first[:200] or type(err).__name__})"


def load(path, device="cpu", keys=()):
    """A checkpoint read with torch's weights-only unpickler; InputError (one line: the file and why) when the
    file holds anything else or cannot be read, or, with `keys`, is not a dict holding each of them."""
    try:
        with warnings.catch_warnings():  # e.g. "Detected pickle protocol 4": the one line below says it all
            warnings.simplefilter("ignore")
            saved = torch.load(path, map_location=device, weights_only=True)
    except LOAD_ERRORS as err:
        raise InputError(f"checkpoint {os.fspath(path)} refused: {why(err)}") from None
    if keys:
        missing = [k for k in keys if k not in saved] if isinstance(saved, dict) else list(keys)
        if missing:
            raise InputError(
                f"checkpoint {os.fspath(path)} refused: it has no {missing[0]!r} (it needs {', '.join(keys)})"
            )
    return saved


def refused(path, what: str, err: BaseException) -> InputError:
    """The InputError for a checkpoint whose contents do not fit: the file, `what` is wrong, and the error's
    first line."""
    first = next((line.strip() for line in str(err).splitlines() if line.strip()), type(err).__name__)
    return InputError(f"checkpoint {os.fspath(path)} refused: {what} ({first[:200]})")
