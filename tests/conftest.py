"""Fixtures shared across test packages."""

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def nginx_present():
    """Skip without Debian's nginx, unless GDL_REQUIRE_NGINX=1 (CI), where that is a failure."""
    from deploy import serve

    if not Path(serve.NGINX).exists():
        message = f"{serve.NGINX} is missing (apt-get install nginx)"
        if os.environ.get("GDL_REQUIRE_NGINX") == "1":
            pytest.fail(message + " and GDL_REQUIRE_NGINX=1")
        pytest.skip(message)
