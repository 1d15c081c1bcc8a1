"""`python -m deploy.serve --replicas N [--port P]`: N `streamlit run app.py` replicas on local ports behind
Debian's nginx (deploy/nginx.conf) with sticky sessions, so one class uses several cores. Ctrl-C stops all.

Streamlit runs every session of a server in one Python process (one GIL); replicas are separate processes,
and the proxy keeps each browser on the replica that holds its session (docs/serving.md).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import shutil
import signal
import socket
import subprocess  # nosec B404 # starts the replicas and nginx with fixed argument lists
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from dynamics.cli import Parser, run_main
from dynamics.contracts import InputError

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("nginx.conf")
NGINX = os.environ.get("GDL_NGINX", shutil.which("nginx") or "/usr/sbin/nginx")
MAX_REPLICAS = 64
PROG = "python -m deploy.serve"


@dataclass(frozen=True)
class Cluster:
    """What `serve` started: the proxy's URL and each replica's."""

    url: str
    replicas: tuple[str, ...]
    procs: tuple[subprocess.Popen, ...]  # the replicas, then nginx

    def stopped(self) -> str | None:
        """The first child that has exited, as a line; None while all run."""
        for proc in self.procs:
            if proc.poll() is not None:
                return f"{Path(proc.args[0]).name} {' '.join(proc.args[1:6])} exited with status {proc.returncode}"
        return None


def nginx_conf(listen: str, upstreams: list[str], prefix: str) -> str:
    """deploy/nginx.conf with the listen address, the replicas (host:port) and the temp prefix filled in."""
    servers = "\n".join(f"        server {u} max_fails=0;" for u in upstreams)
    text = TEMPLATE.read_text()
    return text.replace("@PREFIX@", prefix).replace("@LISTEN@", listen).replace("@SERVERS@", servers)


def replica_cmd(script: str, port: int, address: str = "127.0.0.1") -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless=true",
        f"--server.port={port}",
        f"--server.address={address}",
        "--browser.gatherUsageStats=false",
        "--global.disableWidgetStateDuplicationWarning=true",
        "--server.fileWatcherType=none",
    ]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float) -> None:
    """Poll `url`/_stcore/health until it answers 200; raise if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:  # nosec B310 # loopback http URL we built
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with status {proc.returncode} before {url} answered")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout:g} s")
        time.sleep(0.2)


def free_port(port: int = 0, host: str = "127.0.0.1") -> int:
    """`port` if nothing listens on it at `host` (0: any free port); raises RuntimeError if it is taken."""
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            raise RuntimeError(f"port {port} is in use") from None
        return s.getsockname()[1]


@contextmanager
def process(cmd: list[str], log, env: dict | None = None, cwd=ROOT):
    """A child process in `cwd` with its output to `log`, terminated (then killed) on leaving."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=env)  # nosec B603 # fixed argv
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def serve(replicas: int, port: int, script="app.py", first_port=None, host="127.0.0.1", log=None, timeout=120.0):
    """Start `replicas` Streamlit servers on loopback ports and nginx on `host`:`port`; yield a Cluster; stop all.
    The replicas share one cookie secret (Streamlit's XSRF and login cookies stay valid whichever answers)."""
    if not Path(NGINX).exists():
        raise InputError(f"nginx not found at {NGINX} (Debian: apt-get install nginx; or set GDL_NGINX)")
    ports = [free_port(first_port + i if first_port else 0) for i in range(replicas)]
    free_port(port, host)
    env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    with ExitStack() as stack:
        prefix = stack.enter_context(tempfile.TemporaryDirectory(prefix="gdl-nginx-"))
        procs = [stack.enter_context(process(replica_cmd(script, p), log, env)) for p in ports]
        urls = tuple(f"http://127.0.0.1:{p}" for p in ports)
        for url, proc in zip(urls, procs, strict=True):
            wait_healthy(url, proc, timeout)
        conf = Path(prefix) / "nginx.conf"
        conf.write_text(nginx_conf(f"{host}:{port}", [u.removeprefix("http://") for u in urls], prefix))
        proxy = stack.enter_context(process([NGINX, "-p", prefix, "-c", str(conf)], log))
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, proxy, timeout)
        yield Cluster(url, urls, (*procs, proxy))


def build_parser() -> Parser:
    p = Parser(prog=PROG, description=__doc__.splitlines()[0])
    p.add_argument("--replicas", type=int, default=2, help=f"Streamlit processes, 1..{MAX_REPLICAS} (default 2)")
    p.add_argument("--port", type=int, default=8501, help="the port students open (default 8501)")
    p.add_argument("--host", default="127.0.0.1", help="nginx's address: 0.0.0.0 serves the network (default loopback)")
    p.add_argument("--first-port", type=int, default=8600, help="replica i listens on first-port + i (default 8600)")
    p.add_argument("--app", default="app.py", help="the Streamlit script (default app.py)")
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    if not 1 <= args.replicas <= MAX_REPLICAS:
        raise InputError(f"--replicas must be in [1, {MAX_REPLICAS}], got {args.replicas}")
    for name, value in (("--port", args.port), ("--first-port", args.first_port)):
        if not 1024 <= value <= 65535 - MAX_REPLICAS:
            raise InputError(f"{name} must be in [1024, {65535 - MAX_REPLICAS}], got {value}")
    if args.port in range(args.first_port, args.first_port + args.replicas):
        raise InputError(f"--port {args.port} collides with the replicas' ports {args.first_port}..")
    try:
        ipaddress.ip_address(args.host)
    except ValueError:
        raise InputError(f"--host must be an IP address such as 127.0.0.1 or 0.0.0.0, got {args.host!r}") from None
    app = (ROOT / args.app).resolve()
    if not (app.is_file() and app.is_relative_to(ROOT)):
        raise InputError(f"--app {args.app!r} is not a file under {ROOT}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a plain `kill` stops the children too
    try:
        with serve(args.replicas, args.port, args.app, args.first_port, args.host) as cluster:
            where = f"http://{args.host}:{args.port}"
            print(f"serving {args.app}: {where} -> {args.replicas} replicas ({', '.join(cluster.replicas)})")
            print("Ctrl-C stops the proxy and every replica.", flush=True)
            while not (stopped := cluster.stopped()):
                time.sleep(1)
            raise RuntimeError(stopped)
    except KeyboardInterrupt:
        print("stopped.")
    except RuntimeError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(run_main(main, prog=PROG))
