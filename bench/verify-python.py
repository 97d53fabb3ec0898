"""Python verify cost for a 2 KiB body: hookline's Webhook.verify_signature and
Webhook.verify next to raw hmac of the same bytes (the limit) and the official
standardwebhooks verifier. Measures; asserts nothing about speed.

Run: sdks/python/.venv/bin/python bench/verify-python.py [--json]
"""

from __future__ import annotations

import base64
import hmac
import json
import platform
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone

from standardwebhooks.webhooks import Webhook as OfficialWebhook

from hookline.webhooks import Webhook

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # noqa: S105 - the public Standard Webhooks vector
KEY = base64.b64decode(SECRET.removeprefix("whsec_"))
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"


def make_body(size: int = 2048) -> bytes:
    prefix = b'{"type":"video.generated","timestamp":"2026-12-04T19:00:00Z","data":{"pad":"'
    suffix = b'"}}'
    return prefix + b"x" * (size - len(prefix) - len(suffix)) + suffix


def calibrate(fn: Callable[[], object], block_seconds: float = 0.02) -> int:
    """Calls per timed block so that one block lasts about ``block_seconds``."""
    n = 1
    while True:
        started = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - started > block_seconds:
            return n
        n *= 2


def measure(candidates: dict[str, Callable[[], object]], rounds: int = 40) -> dict[str, float]:
    """Best µs/op per candidate, with the candidates interleaved round by round so a
    load spike on this shared machine hits them all alike and the ratios hold."""
    sizes = {name: calibrate(fn) for name, fn in candidates.items()}
    best = dict.fromkeys(candidates, float("inf"))
    for _ in range(rounds):
        for name, fn in candidates.items():
            n = sizes[name]
            started = time.perf_counter()
            for _ in range(n):
                fn()
            best[name] = min(best[name], (time.perf_counter() - started) / n * 1e6)
    return best


def main() -> None:
    body = make_body()
    assert len(body) == 2048
    now = int(time.time())
    ours = Webhook(SECRET)
    signature = ours.sign(MSG_ID, now, body)
    headers = {"webhook-id": MSG_ID, "webhook-timestamp": str(now), "webhook-signature": signature}
    official = OfficialWebhook(SECRET)
    assert official.sign(MSG_ID, datetime.fromtimestamp(now, timezone.utc), body) == signature
    expected = signature.split(",", 1)[1].encode()

    def raw_hmac() -> bool:
        signed = f"{MSG_ID}.{now}.".encode() + body
        digest = base64.b64encode(hmac.digest(KEY, signed, "sha256"))
        return hmac.compare_digest(digest, expected)

    results = measure(
        {
            "raw hmac (sha256 + b64 + compare_digest)": raw_hmac,
            "hookline Webhook.verify_signature": lambda: ours.verify_signature(body, headers),
            "hookline Webhook.verify (+ json.loads)": lambda: ours.verify(body, headers),
            "standardwebhooks Webhook.verify (+ json.loads)": lambda: official.verify(
                body, headers
            ),
        }
    )
    raw = results["raw hmac (sha256 + b64 + compare_digest)"]
    if "--json" in sys.argv:
        print(
            json.dumps(
                {
                    "python": platform.python_version(),
                    "bodyBytes": len(body),
                    "usPerOp": results,
                    "ratioToRaw": {k: v / raw for k, v in results.items()},
                }
            )
        )
        return
    print(f"verify, 2 KiB body, Python {platform.python_version()} ({platform.machine()})")
    for name, us in results.items():
        print(f"  {name:<48} {us:8.2f} us/op  {us / raw:5.2f}x raw")


if __name__ == "__main__":
    main()
