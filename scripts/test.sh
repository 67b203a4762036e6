#!/usr/bin/env bash
# scripts/test.sh: barraiser's whole test suite, as run by CI (.ci/run).
#
# It prepares what the tests need on this machine and then runs them:
#   - a local PostgreSQL with pgvector (scripts/postgres.sh installs and
#     starts it when missing) whose URL the store tests read from
#     BARRAISER_TEST_DATABASE_URL,
#   - Chromium for the browser tests of the web pages (scripts/chromium.sh
#     installs it when missing) in BARRAISER_CHROMIUM; they save their
#     screenshots to BARRAISER_SCREENSHOT_DIR (test-output/screenshots),
#   - gofmt and go vet over the module,
#   - go test over every package, with the race detector.
#
# Extra arguments go to `go test` (e.g. scripts/test.sh -run TestEval -v).
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="$PATH:/usr/local/go/bin"

echo "== PostgreSQL with pgvector" >&2
BARRAISER_TEST_DATABASE_URL="$(scripts/postgres.sh)"
export BARRAISER_TEST_DATABASE_URL

echo "== Chromium for the browser tests" >&2
if BARRAISER_CHROMIUM="$(scripts/chromium.sh)"; then
	export BARRAISER_CHROMIUM
elif [ "${CI:-}" = "true" ]; then
	echo "no Chromium: the browser tests cannot run under CI" >&2
	exit 1
else
	echo "no Chromium: the browser tests will be skipped" >&2
	unset BARRAISER_CHROMIUM
fi
export BARRAISER_SCREENSHOT_DIR="${BARRAISER_SCREENSHOT_DIR:-$PWD/test-output/screenshots}"

echo "== gofmt" >&2
unformatted="$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"
if [ -n "$unformatted" ]; then
	echo "gofmt would change:" >&2
	echo "$unformatted" >&2
	exit 1
fi

echo "== go vet" >&2
go vet ./...

echo "== go test" >&2
go test -race -count=1 "$@" ./...
