#!/usr/bin/env bash
# scripts/test.sh: barraiser's whole test suite, as run by CI (.ci/run).
#
# It prepares what the tests need on this machine and then runs them:
#   - a local PostgreSQL with pgvector (scripts/postgres.sh installs and
#     starts it when missing) whose URL the store tests read from
#     BARRAISER_TEST_DATABASE_URL,
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
