"""A wheel built from the repo installs into a fresh virtualenv outside the repo;
a script there calls an HTTP server (sync and async) and verifies a delivery."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import venv
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from .conftest import REPO, SDK

PAGE = {"data": {"webhooks": {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}}}


class _GraphQL(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict[str, str]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        _GraphQL.seen.append({"op": body["operationName"], "auth": self.headers["authorization"]})
        payload = json.dumps(PAGE).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def graphql_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GraphQL)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/graphql"
    finally:
        server.shutdown()
        server.server_close()


SCRIPT = textwrap.dedent(
    """
    import asyncio, sys, time
    import hookline
    from hookline import AsyncHookline, Hookline
    from hookline.webhooks import Webhook

    url = sys.argv[1]
    assert "site-packages" in hookline.__file__, hookline.__file__
    with Hookline(url, token="pkg-token") as client:
        assert client.webhooks.list(first=1).page_info.has_next_page is False

    async def main():
        async with AsyncHookline(url, token="pkg-token") as client:
            page = await client.webhooks.list(first=1)
            assert page.edges == []
    asyncio.run(main())

    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    now = int(time.time())
    body = b'{"type":"video.generated","data":{}}'
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(now),
               "webhook-signature": Webhook(secret).sign("msg_1", now, body)}
    assert Webhook(secret).verify(body, headers)["type"] == "video.generated"
    print("packaged-ok", hookline.__version__)
    """
)


@pytest.mark.slow
def test_wheel_installs_and_works_outside_the_repo(tmp_path: Path, graphql_url: str) -> None:
    assert REPO not in tmp_path.parents, "the fresh virtualenv must live outside the repo"
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(SDK),
        ],
        check=True,
    )
    wheels = list(dist.glob("hookline-*.whl"))
    assert len(wheels) == 1
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheels[0])],
        check=True,
    )
    script = tmp_path / "use_hookline.py"
    script.write_text(SCRIPT)
    result = subprocess.run(
        [str(python), str(script), graphql_url],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("packaged-ok")
    assert [s["op"] for s in _GraphQL.seen[-2:]] == ["ListWebhooks", "ListWebhooks"]
    assert all(s["auth"] == "Bearer pkg-token" for s in _GraphQL.seen[-2:])
    # The wheel ships the typing marker and the generated error table.
    import zipfile

    names = zipfile.ZipFile(wheels[0]).namelist()
    assert "hookline/py.typed" in names and "hookline/_generated/errors.json" in names
    assert not any(n.startswith("tests/") for n in names)
