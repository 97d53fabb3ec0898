#!/usr/bin/env bash
# Go verify throughput for a 2 KiB body: our Webhook.Verify, raw crypto/hmac of
# the same bytes (the limit) and the official Standard Webhooks library, run
# interleaved (-count) and summarised as medians and ratios by ./report.
set -euo pipefail
cd "$(dirname "$0")"
go test -run '^$' -bench . -benchmem -count "${COUNT:-5}" -benchtime "${BENCHTIME:-300ms}" | go run ./report
