#!/usr/bin/env bash
# npm test for the Go SDK: gofmt and go vet over every Go module it owns (the
# SDK, its conformance testee, its benchmark and examples), then go test.
# The conformance cases themselves run from @hookline/conformance-tests.
set -euo pipefail
cd "$(dirname "$0")/.."
modules=(. ../../conformance-tests/testees/go ../../bench/go-verify ../../examples/go)
unformatted=$(gofmt -l "${modules[@]}")
if [[ -n "$unformatted" ]]; then
  printf 'gofmt: these files need formatting:\n%s\n' "$unformatted" >&2
  exit 1
fi
for m in "${modules[@]}"; do
  (cd "$m" && go vet ./...)
done
go test ./...
