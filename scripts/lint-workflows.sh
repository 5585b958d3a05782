#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint (which also runs shellcheck on their `run:`
# blocks when shellcheck is on PATH), and the scripts they call (scripts/ci/) with shellcheck.
# actionlint is built once from its Go module into a cache outside the repository:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/websocket-monitoring/bin/actionlint-<version>
# Needs: go (first run only, via GOPROXY). Optional: shellcheck (apt-get install shellcheck).
set -euo pipefail

ACTIONLINT_VERSION=v1.7.12
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${XDG_CACHE_HOME:-$HOME/.cache}/websocket-monitoring/bin"
ACTIONLINT="$BIN/actionlint-$ACTIONLINT_VERSION"

if [ ! -x "$ACTIONLINT" ]; then
  echo "lint-workflows: installing actionlint $ACTIONLINT_VERSION into $BIN" >&2
  mkdir -p "$BIN"
  tmp="$(mktemp -d "$BIN/.tmp.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  GOBIN="$tmp" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  mv "$tmp/actionlint" "$ACTIONLINT"
fi

cd "$ROOT"
if command -v shellcheck >/dev/null; then
  shellcheck scripts/lint-workflows.sh scripts/ci/*.sh
  "$ACTIONLINT" -shellcheck "$(command -v shellcheck)"
else
  echo "lint-workflows: shellcheck not found: run: blocks and scripts are not shell-checked" >&2
  "$ACTIONLINT" -shellcheck=
fi
