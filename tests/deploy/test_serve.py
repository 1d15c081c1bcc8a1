"""deploy.serve: Streamlit replicas behind nginx with sticky sessions (the cluster tests are slow: real servers).

Without nginx the tests are skipped, unless GDL_REQUIRE_NGINX=1 (CI), where that is a failure.
"""

import asyncio
import re
import secrets
import urllib.error
import urllib.request

import pytest

from bench.wsclient import Session
from deploy import serve


@pytest.fixture(scope="module")
def app_cluster(nginx_present):
    with serve.serve(2, serve.free_port(), "app.py") as cluster:
        yield cluster


@pytest.fixture(scope="module")
def trivial_cluster(nginx_present):
    with serve.serve(2, serve.free_port(), "bench/trivial_app.py") as cluster:
        yield cluster


def get(url: str, cookie: str = "") -> tuple[int, str, dict]:
    """(status, body, headers) of a GET with `cookie`; an HTTP error status is returned, not raised."""
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read().decode(errors="replace"), dict(r.headers)
    except urllib.error.HTTPError as err:
        return err.code, "", dict(err.headers)


def cookie_per_replica(cluster) -> dict[str, str]:
    """A replica cookie for each replica: fresh random keys until every replica has answered one."""
    cookies: dict[str, str] = {}
    for _ in range(200):
        cookie = f"gdl_replica={secrets.token_hex(16)}"
        cookies.setdefault(get(f"{cluster.url}/_stcore/health", cookie)[2]["X-GDL-Replica"], cookie)
        if len(cookies) == len(cluster.replicas):
            return cookies
    raise AssertionError(f"only {sorted(cookies)} answered 200 fresh keys")


def test_nginx_conf_fills_every_field():
    conf = serve.nginx_conf("127.0.0.1:9000", ["127.0.0.1:9001", "127.0.0.1:9002"], "/tmp/p")
    assert not re.search(r"@[A-Z]+@", conf)
    assert "server 127.0.0.1:9001 max_fails=0;" in conf and "server 127.0.0.1:9002 max_fails=0;" in conf
    assert "listen 127.0.0.1:9000;" in conf and "pid /tmp/p/nginx.pid;" in conf


def test_bad_arguments_are_one_line_and_exit_2(capsys):
    from dynamics.cli import run_main

    for argv, needle in ((["--replicas", "0"], "--replicas must be in [1, 64], got 0"), (["--port", "80"], "--port")):
        assert run_main(serve.main, argv, prog=serve.PROG) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and needle in err


@pytest.mark.slow
def test_a_page_loads_through_the_proxy_and_both_replicas_serve(app_cluster):
    status, body, headers = get(f"{app_cluster.url}/phase")
    assert status == 200 and '<div id="root"></div>' in body
    assert re.fullmatch(r"gdl_replica=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax", headers["Set-Cookie"])
    cookies = cookie_per_replica(app_cluster)
    assert sorted(cookies) == sorted(u.removeprefix("http://") for u in app_cluster.replicas)

    async def run(cookie):
        s, first = await Session.open(app_cluster.url, "phase", cookie=cookie)
        moved = await s.rerun({"learning rate h": 0.2})
        replica = s.ws.response.headers["X-GDL-Replica"]
        await s.close()
        return replica, first, moved

    for replica, cookie in cookies.items():
        answered, first, moved = asyncio.run(run(cookie))
        assert answered == replica
        assert first.errors == [] and moved.errors == [] and moved.seconds > 0  # the page ran there, move included


@pytest.mark.slow
def test_a_session_sticks_to_its_replica(trivial_cluster):
    """Each session's websocket, and the image its rerun made (kept in that replica's memory), are served by the
    replica its cookie names; the other replica does not have the image."""
    cookies = cookie_per_replica(trivial_cluster)

    async def run(cookie, value):
        s, _ = await Session.open(trivial_cluster.url, "", cookie=cookie)
        reruns = [await s.rerun({"learning rate h": value}) for _ in range(3)]
        replica = s.ws.response.headers["X-GDL-Replica"]
        await s.close()
        return replica, [r.media[0] for r in reruns]

    for (replica, cookie), value in zip(cookies.items(), (0.37, 0.53), strict=True):
        answered, media = asyncio.run(run(cookie, value))
        assert answered == replica
        for path in media:
            for other, other_cookie in cookies.items():
                status, _, headers = get(trivial_cluster.url + path, other_cookie)
                assert headers["X-GDL-Replica"] == other
                assert status == (200 if other == replica else 404), (path, other)
