"""Create a webhook, trigger an event and read the statistics, blocking and asyncio.

export HOOKLINE_BASE_URL=http://127.0.0.1:4000/graphql   # your server
export HOOKLINE_TOKEN=$(npx hookline token --service-role)  # a service-role JWT
sdks/python/.venv/bin/python examples/python/producer.py https://example.com/hook
"""

from __future__ import annotations

import asyncio
import sys

import hookline
from hookline import AsyncHookline, Hookline


def produce(receiver_url: str) -> str:
    with Hookline() as client:  # HOOKLINE_BASE_URL and HOOKLINE_TOKEN from the environment
        created = client.webhooks.create(
            name="Example receiver", url=receiver_url, event_types=["video.generated"]
        )
        print("webhook", created.webhook.id, "secret", created.secret[:10] + "...")
        triggered = client.events.trigger(
            "video.generated", {"videoId": "vid_1"}, user_id=created.webhook.user_id
        )
        print("event", triggered.event_id, "deliveries", triggered.delivery_count)
        return created.webhook.id


async def report(webhook_id: str) -> None:
    async with AsyncHookline() as client:
        stats = await client.webhooks.statistics(webhook_id, days=1)
        print("total", stats.total_deliveries, "success rate", stats.success_rate)
        async for delivery in client.deliveries.list_all(webhook_id=webhook_id, page_size=20):
            print("delivery", delivery.id, delivery.status.value, delivery.response_status)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    try:
        webhook_id = produce(sys.argv[1])
        asyncio.run(report(webhook_id))
    except hookline.HooklineError as error:
        print(f"{type(error).__name__}: {error} (request {error.request_id})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
