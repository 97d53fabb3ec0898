#!/usr/bin/env bash
# Go verify throughput for a 2 KiB body: our Webhook.Verify, raw crypto/hmac of
# the same bytes (the limit) and the official Standard Webhooks library. The
# three run in one process per round, for COUNT rounds, so a noisy neighbour
# slows them alike; ./report prints medians and ratios to raw HMAC.
set -euo pipefail
cd "$(dirname "$0")"
bin=$(mktemp -d)/go-verify.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" .
for _ in $(seq "${COUNT:-7}"); do
  "$bin" -test.run '^$' -test.bench . -test.benchmem -test.benchtime "${BENCHTIME:-300ms}"
done | go run ./report
