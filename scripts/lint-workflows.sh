#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint (which runs shellcheck on their `run:` blocks),
# and the scripts they and `npm run up` call (scripts/ci/, scripts/local.sh) with shellcheck.
# actionlint is built once from its Go module into a cache outside the repository:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/websocket-monitoring/bin/actionlint-<version>
# Needs: shellcheck (apt-get install shellcheck); go on the first run (via GOPROXY).
# A missing checker fails the lint: a lint that checks less than it says is no lint.
set -euo pipefail

ACTIONLINT_VERSION=v1.7.12
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${XDG_CACHE_HOME:-$HOME/.cache}/websocket-monitoring/bin"
ACTIONLINT="$BIN/actionlint-$ACTIONLINT_VERSION"

if ! command -v shellcheck >/dev/null; then
  echo "lint-workflows: shellcheck is not on PATH, so the run: blocks and scripts would go unchecked: install it (Debian: apt-get install shellcheck), then run again" >&2
  exit 1
fi

if [ ! -x "$ACTIONLINT" ]; then
  if ! command -v go >/dev/null; then
    echo "lint-workflows: actionlint $ACTIONLINT_VERSION is not built yet and go is not on PATH to build it: install Go (https://go.dev/doc/install), then run again" >&2
    exit 1
  fi
  echo "lint-workflows: installing actionlint $ACTIONLINT_VERSION into $BIN" >&2
  mkdir -p "$BIN"
  tmp="$(mktemp -d "$BIN/.tmp.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  GOBIN="$tmp" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  mv "$tmp/actionlint" "$ACTIONLINT"
fi

cd "$ROOT"
shellcheck scripts/lint-workflows.sh scripts/local.sh scripts/ci/*.sh harness/kubernetes/*.sh test/support/gotemplate/build.sh .ci/run
"$ACTIONLINT" -shellcheck "$(command -v shellcheck)"
