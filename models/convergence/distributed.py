"""A grid's chunks as Ray tasks (the optional extra: `pip install -r requirements-ray.txt`).

`--ray local` starts a Ray instance on this machine; `--ray ADDRESS` (e.g. `ray://head:10001` or `auto` on a
cluster node) connects to a running cluster and ships this repository as the tasks' working directory, so
the nodes need the requirements installed but not the code. Each task trains one chunk with the vectorized
engine; the cells seed themselves, so the map equals the local one for the same seed.
"""

from __future__ import annotations

import socket
from pathlib import Path

from dynamics.contracts import InputError
from models.convergence.engine import Setup, Trace, train

ROOT = Path(__file__).resolve().parents[2]
EXCLUDES = [".git", "runs", "figures", "**/__pycache__", "*.pt"]


def _chunk(setup: Setup, lr, param, index) -> Trace:
    import torch

    torch.set_num_threads(1)
    return train(setup, lr, param, index)


def reachable(address: str, timeout: float = 5.0) -> None:
    """InputError unless HOST:PORT (or ray://HOST:PORT) accepts a TCP connection within `timeout` seconds; Ray itself
    keeps retrying an address that does not answer for minutes. Other forms ('auto') are left to Ray."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not (host and port.isdigit()):
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as err:
        raise InputError(f"--ray {address}: cannot connect ({err.strerror or err})") from None


def connect(address: str):
    """ray, initialised: a local instance for 'local', else the cluster at `address` with this repository as
    the working directory. InputError (one line) when Ray is missing or the address does not answer."""
    try:
        import ray
    except ImportError:
        raise InputError("--ray needs Ray: pip install -r requirements-ray.txt") from None
    if ray.is_initialized():
        return ray
    if address != "local":
        reachable(address)
    threads = {"OMP_NUM_THREADS": "1"}
    try:
        if address == "local":
            ray.init(include_dashboard=False, runtime_env={"env_vars": {**threads, "PYTHONPATH": str(ROOT)}})
        else:
            env = {"env_vars": threads, "working_dir": str(ROOT), "excludes": EXCLUDES}
            ray.init(address=address, runtime_env=env)
    except (ConnectionError, RuntimeError, ValueError) as err:
        raise InputError(f"--ray {address}: cannot connect ({str(err).splitlines()[0]})") from None
    return ray


def train_chunks(address: str, setup: Setup, chunks: list) -> list[Trace]:
    """Train each (lr, param, index) chunk as one Ray task; the traces in chunk order."""
    ray = connect(address)
    task = ray.remote(num_cpus=1)(_chunk)
    return ray.get([task.remote(setup, *chunk) for chunk in chunks])
