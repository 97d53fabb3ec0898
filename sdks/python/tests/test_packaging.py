"""A wheel built from the repo installs into a fresh virtualenv outside the repo;
scripts there call an HTTP stub and the real Hookline server (sync and async),
and verify a delivery the real dispatcher signed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import uuid
import venv
import zipfile
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


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Build the wheel once and install it into a fresh virtualenv outside the repo."""
    tmp_path = tmp_path_factory.mktemp("packaged")
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
    return python, wheels[0]


@pytest.mark.slow
def test_wheel_installs_and_works_outside_the_repo(
    tmp_path: Path, graphql_url: str, installed: tuple[Path, Path]
) -> None:
    python, wheel = installed
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
    names = zipfile.ZipFile(wheel).namelist()
    assert "hookline/py.typed" in names and "hookline/_generated/errors.json" in names
    assert not any(n.startswith("tests/") for n in names)


E2E_SCRIPT = textwrap.dedent(
    """
    import asyncio, json, queue, sys, threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from hookline import AsyncHookline, Hookline, NotFoundError
    from hookline.webhooks import Webhook, WebhookVerificationError

    api, user_token, service_token, user_id = sys.argv[1:5]
    received: "queue.Queue[dict]" = queue.Queue()
    state = {"verifier": None}

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["content-length"]))
            try:
                event = state["verifier"].verify(body, self.headers)
            except WebhookVerificationError:
                self.send_response(401)
                self.end_headers()
                return
            received.put({"webhookId": self.headers["webhook-id"], "event": event})
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook_url = f"http://127.0.0.1:{receiver.server_port}/hook"

    with Hookline(api, token=user_token) as user:
        created = user.webhooks.create(name="packaged", url=hook_url, event_types=["credit.added"])
        state["verifier"] = Webhook(created.secret)
        try:
            user.webhooks.get("00000000-0000-4000-8000-000000000000")
            not_found = None
        except NotFoundError as err:
            not_found = type(err).__name__

    async def trigger():
        async with AsyncHookline(api, token=service_token) as service:
            return await service.events.trigger("credit.added", {"amount": 5}, user_id=user_id)

    triggered = asyncio.run(trigger())
    got = received.get(timeout=30)
    receiver.shutdown()
    print(json.dumps({
        "received": got,
        "deliveryId": triggered.deliveries[0].id,
        "webhookId": created.webhook.id,
        "notFound": not_found,
    }))
    """
)

SERVER_CLI = REPO / "server" / "dist" / "cli.js"


@pytest.mark.slow
@pytest.mark.skipif(not SERVER_CLI.exists(), reason="needs the built server (server/dist/cli.js)")
def test_wheel_calls_the_real_server_and_verifies_its_delivery(
    tmp_path: Path, installed: tuple[Path, Path]
) -> None:
    python, _ = installed
    node = shutil.which("node")
    assert node, "node is needed to run the server"
    data = Path(tempfile.mkdtemp(prefix="hookline-py-pack-"))
    env = {
        **os.environ,
        "PORT": "0",
        "HOOKLINE_DATA_DIR": str(data),
        "HOOKLINE_JWT_SECRET": "py-pack-test-secret-0123456789abcdef0123",
        "HOOKLINE_ALLOW_PRIVATE_NETWORKS": "127.0.0.0/8",
        "HOOKLINE_LOG_LEVEL": "info",
    }
    server = subprocess.Popen(
        [node, str(SERVER_CLI), "serve"], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        api = None
        for line in server.stdout:  # the server logs where it listens, then keeps logging
            match = re.search(r'"url":"(http://127\.0\.0\.1:\d+/graphql)"', line)
            if match:
                api = match.group(1)
                break
        assert api, "the server exited before listening"
        threading.Thread(target=server.stdout.read, daemon=True).start()  # keep the pipe drained

        def mint(*args: str) -> str:
            return subprocess.run(
                [node, str(SERVER_CLI), "token", *args],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()

        user_id = str(uuid.uuid4())
        script = tmp_path / "e2e.py"
        script.write_text(E2E_SCRIPT)
        result = subprocess.run(
            [
                str(python),
                str(script),
                api,
                mint("--user", user_id),
                mint("--service-role"),
                user_id,
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        out = json.loads(result.stdout)
        assert out["received"]["event"]["type"] == "credit.added"
        assert out["received"]["event"]["data"] == {"amount": 5}
        assert out["received"]["webhookId"] == out["deliveryId"]
        assert out["notFound"] == "NotFoundError"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)
