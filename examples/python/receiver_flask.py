"""A Flask receiver: verifies each delivery with hookline and answers the endpoint
verification challenge.

    export HOOKLINE_WEBHOOK_SECRET=whsec_...   # from webhooks.create() or get_secret()
    sdks/python/.venv/bin/python examples/python/receiver_flask.py   # listens on 127.0.0.1:8000
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, jsonify

from hookline.integrations.flask import webhook_view
from hookline.webhooks import Webhook


def create_app(secret: str) -> Flask:
    app = Flask(__name__)
    verifier = Webhook(secret)

    @app.post("/hooks/hookline")
    @webhook_view(verifier)
    def hook(event: dict[str, Any]) -> Any:
        if event["type"] == "webhook.verification":
            return jsonify({"challenge": event["data"]["challenge"]})
        app.logger.info("received %s: %s", event["type"], event["data"])
        return "", 204

    return app


if __name__ == "__main__":
    create_app(os.environ["HOOKLINE_WEBHOOK_SECRET"]).run(host="127.0.0.1", port=8000)
