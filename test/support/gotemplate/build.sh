#!/usr/bin/env bash
# Builds render-templates (main.go: Alertmanager's template package, as Alertmanager and Grafana run
# notification templates) once per source, into a cache outside the repo, and prints its path on
# stdout; progress goes to stderr. Cold: the modules of go.sum from the Go module proxy, then about
# 20 s on 2 cores; afterwards instant.
set -euo pipefail
cd "$(dirname "$0")"

version=$(sed -n 's#^require github.com/prometheus/alertmanager \(v[^ ]*\)$#\1#p' go.mod)
key=$(cat go.mod go.sum main.go | sha256sum | cut -c1-12)
cache_root=${WEBSOCKET_MONITORING_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/websocket-monitoring}
out="$cache_root/render-templates-alertmanager-$version-$key"

if [ -x "$out/render-templates" ]; then
  echo "$out/render-templates"
  exit 0
fi
command -v go >/dev/null || { echo "build.sh: Go 1.24 or later is needed to build render-templates (https://go.dev/doc/install)" >&2; exit 1; }
echo "[render-templates] building with Alertmanager $version's template package into $out (once)" >&2
mkdir -p "$out"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out/render-templates.tmp" . >&2
mv "$out/render-templates.tmp" "$out/render-templates"
echo "$out/render-templates"
