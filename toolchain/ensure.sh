#!/usr/bin/env bash
# toolchain/ensure.sh - make the offline Pulumi + Grafana toolchain available.
#
# Usage:
#   eval "$(toolchain/ensure.sh)"                 # ensure all tools, load the env
#   env_sh=$(toolchain/ensure.sh) && eval "$env_sh"   # same, but stop on failure
#   toolchain/ensure.sh --only pulumi,grafana     # a subset (comma-separated)
#   source "${WSMON_TOOLCHAIN_CACHE:-$HOME/.cache/websocket-monitoring/toolchain}/env.sh"
#                                                 # reuse the env of the last run
#   Options: --print-env (default, accepted for clarity), --only LIST, -h|--help
#
# Tools: pulumi, pulumi-language-nodejs, pulumi-resource-grafana, grafana.
# For each tool: if it is already on PATH it is used as is; otherwise it is
# built from its Go module (versions in toolchain/versions.env) into
#   ${WSMON_TOOLCHAIN_CACHE:-$HOME/.cache/websocket-monitoring/toolchain}/<tool>-<version>/
# (built in a temp dir, then renamed into place; a second run is a no-op).
# The Grafana provider is always installed into the Pulumi plugin cache
# ($PULUMI_HOME/plugins/resource-grafana-v<version>/), so the CLI never
# downloads it, even if a pulumi-resource-grafana is on PATH.
#
# stdout: only `export NAME=...` lines (also written to <cache>/env.sh):
#   WSMON_TOOLCHAIN_CACHE, PULUMI_HOME, PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true,
#   PULUMI_DISABLE_REGISTRY_RESOLVE=true, PULUMI_SKIP_UPDATE_CHECK=true,
#   GRAFANA_HOMEPATH (when grafana is available), and last: PATH.
# stderr: progress and the time of each step (cached vs built).
# Exit status: 0 if every requested tool is available, 1 otherwise (the env
# for the tools that are available is printed all the same).
#
# Env knobs: WSMON_TOOLCHAIN_CACHE (cache root), PULUMI_HOME (default ~/.pulumi),
# GOPROXY/GOMODCACHE/GOCACHE/GOFLAGS as usual for go.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/versions.env
source "$HERE/versions.env"

CACHE="${WSMON_TOOLCHAIN_CACHE:-$HOME/.cache/websocket-monitoring/toolchain}"
PULUMI_HOME="${PULUMI_HOME:-$HOME/.pulumi}"
ALL_TOOLS="pulumi pulumi-language-nodejs pulumi-resource-grafana grafana"
TOOLS="$ALL_TOOLS"

while [ $# -gt 0 ]; do
  case "$1" in
    --print-env) ;;
    --only) shift; TOOLS="${1:?--only needs a comma-separated list}"; TOOLS="${TOOLS//,/ }" ;;
    --only=*) TOOLS="${1#--only=}"; TOOLS="${TOOLS//,/ }" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "ensure.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
for t in $TOOLS; do
  case " $ALL_TOOLS " in *" $t "*) ;; *) echo "ensure.sh: unknown tool: $t" >&2; exit 2 ;; esac
done

log() { echo "[toolchain] $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

mkdir -p "$CACHE"
# One ensure.sh at a time per cache (parallel CI jobs, two shells...).
exec 9>"$CACHE/.lock"
flock 9

# Offline Pulumi settings, also used by the pulumi calls below.
export PULUMI_HOME PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true PULUMI_DISABLE_REGISTRY_RESOLVE=true

# Go settings for every build: no go.work, no toolchain download, go.mod/go.sum
# of the build dirs may be completed from the proxy.
export GOWORK=off GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"

NEW_PATH=()          # bin dirs to prepend to PATH
GRAFANA_HOME_OUT=""  # runtime homepath for grafana server
FAILED=()

# --- helpers -----------------------------------------------------------------

# mktmp TOOL: a fresh temp dir inside the cache (same filesystem => atomic mv).
mktmp() { mktemp -d "$CACHE/.tmp-$1.XXXXXX"; }

# publish TMP FINAL: atomically move a finished build into place.
publish() {
  local tmp="$1" final="$2"
  chmod 0755 "$tmp"
  if ! mv -T "$tmp" "$final" 2>/dev/null; then
    # Someone else finished first (or a stale dir exists): keep theirs.
    rm -rf "$tmp"
    [ -d "$final" ] || { log "could not publish $final"; return 1; }
  fi
}

# mod_field MODULE@VERSION FIELD: `go mod download -json` and print one field.
mod_field() {
  local json
  # Query from a throwaway module of our own, so that no go.mod of a parent
  # directory is used (or touched).
  mkdir -p "$CACHE/.query"
  [ -f "$CACHE/.query/go.mod" ] || printf 'module wsmon.local/toolchain/query\n' >"$CACHE/.query/go.mod"
  json="$(cd "$CACHE/.query" && go mod download -json "$1" 2>&1)" || true
  if printf '%s' "$json" | grep -q '"Error"' || ! printf '%s' "$json" | grep -q "\"$2\""; then
    log "go mod download $1 failed:"
    { printf '%s\n' "$json" | sed -n 's/.*"Error": *"\(.*\)".*/\1/p' | grep . ||
      printf '%s\n' "$json"; } | sed 's/\\n/\n/g; s/\\t/\t/g; s/^/    /' >&2
    return 1
  fi
  printf '%s' "$json" | sed -n "s/^[[:space:]]*\"$2\": *\"\(.*\)\",\{0,1\}\$/\1/p" | head -n1
}

# nonlocal_replaces GO.MOD: the replace directives whose target is a module
# (not ./ ../ or / paths), one `replace A => B vX` line each.
nonlocal_replaces() {
  awk '
    /^replace[ \t]*\($/ { inblock = 1; next }
    inblock && /^\)/    { inblock = 0; next }
    inblock             { line = $0 }
    !inblock && /^replace[ \t]/ { line = $0; sub(/^replace[ \t]+/, "", line) }
    !inblock && !/^replace[ \t]/ { next }
    {
      sub(/\/\/.*/, "", line); n = split(line, f, /[ \t]+/)
      for (i = 1; i <= n; i++) if (f[i] == "=>") { tgt = f[i + 1] }
      if (tgt ~ /^(\.|\/)/ || line ~ /^[ \t]*$/) next
      gsub(/^[ \t]+|[ \t]+$/, "", line); print "replace " line
    }' "$1"
}

# go_directive GO.MOD: the `go` version line of a go.mod (e.g. 1.25.11).
go_directive() { awk '$1 == "go" { print $2; exit }' "$1"; }

on_path() { command -v "$1" 2>/dev/null || true; }
# on_path_external NAME: NAME's path on PATH unless it is one of our own
# cached builds (a PATH from an earlier eval); those are handled as cached.
on_path_external() {
  local p; p="$(on_path "$1")"
  case "$p" in "$CACHE"/*) ;; *) printf '%s' "$p" ;; esac
}

# --- pulumi CLI --------------------------------------------------------------

# cached_build NAME VERSION DIR BUILD_FN: DIR/bin/NAME from the cache, or built by `BUILD_FN DIR`.
cached_build() {
  local name=$1 version=$2 dir=$3 build=$4 t0; t0="$(now)"
  if [ -x "$dir/bin/$name" ]; then log "$name $version: cached ($(elapsed "$t0"))"; return 0; fi
  log "$name $version: building from its Go module (minutes; Grafana the longest) ..."
  "$build" "$dir" || { log "$name $version: BUILD FAILED after $(elapsed "$t0")"; return 1; }
  log "$name $version: built ($(elapsed "$t0"))"
}

# wrapper_module NAME UPSTREAM_GOMOD "MODULE VERSION"...: the go.mod of a small main module that
# requires the given modules and copies the upstream's non-local replace directives.
wrapper_module() {
  local name=$1 gomod=$2 req; shift 2
  printf 'module wsmon.local/toolchain/%s\n\ngo %s\n\nrequire (\n' "$name" "$(go_directive "$gomod")"
  for req in "$@"; do printf '\t%s\n' "$req"; done
  printf ')\n\n'
  nonlocal_replaces "$gomod"
}

# go_build_pulumi SRC_DIR OUT PACKAGE: a static build stamped with the Pulumi release.
go_build_pulumi() {
  (cd "$1" && CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" -o "$2" "$3")
}

build_pulumi() {
  local dir="$1" tmp gomod sdkdir f
  tmp="$(mktmp pulumi)"
  mkdir -p "$tmp/src" "$tmp/bin"
  gomod="$(mod_field "github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" GoMod)" || { rm -rf "$tmp"; return 1; }
  sdkdir="$(mod_field "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" Dir)" || { rm -rf "$tmp"; return 1; }
  wrapper_module pulumi-cli "$gomod" "github.com/pulumi/pulumi/pkg/v3 $PULUMI_VERSION" \
    "github.com/pulumi/pulumi/sdk/v3 $PULUMI_VERSION" >"$tmp/src/go.mod"
  go_build_pulumi "$tmp/src" "$tmp/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi || { rm -rf "$tmp"; return 1; }
  # Shim scripts shipped in the sdk module (dynamic providers; policy packs in
  # old releases), next to the CLI, where Pulumi also looks for plugins.
  for f in pulumi-analyzer-policy pulumi-resource-pulumi-nodejs; do
    if [ -f "$sdkdir/nodejs/dist/$f" ]; then
      install -m 0755 "$sdkdir/nodejs/dist/$f" "$tmp/bin/$f"
    fi
  done
  publish "$tmp" "$dir"
}

ensure_pulumi() {
  local p; p="$(on_path_external pulumi)"
  if [ -n "$p" ]; then log "pulumi: using $p from PATH"; return 0; fi
  local dir="$CACHE/pulumi-$PULUMI_VERSION"
  cached_build pulumi "$PULUMI_VERSION" "$dir" build_pulumi || return 1
  NEW_PATH+=("$dir/bin")
}

# --- Node.js language host ----------------------------------------------------

LANGHOST_MOD=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3

build_langhost() {
  local dir="$1" tmp gomod
  tmp="$(mktmp pulumi-language-nodejs)"
  mkdir -p "$tmp/src" "$tmp/bin"
  gomod="$(mod_field "$LANGHOST_MOD@$PULUMI_LANGUAGE_NODEJS_VERSION" GoMod)" || { rm -rf "$tmp"; return 1; }
  mod_field "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" Dir >/dev/null || { rm -rf "$tmp"; return 1; }
  mod_field "github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" Dir >/dev/null || { rm -rf "$tmp"; return 1; }
  # Its go.mod replaces pkg and sdk by local paths: use the release's modules.
  wrapper_module pulumi-language-nodejs "$gomod" "$LANGHOST_MOD $PULUMI_LANGUAGE_NODEJS_VERSION" \
    "github.com/pulumi/pulumi/pkg/v3 $PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3 $PULUMI_VERSION" >"$tmp/src/go.mod"
  go_build_pulumi "$tmp/src" "$tmp/bin/pulumi-language-nodejs" "$LANGHOST_MOD" || { rm -rf "$tmp"; return 1; }
  publish "$tmp" "$dir"
}

ensure_langhost() {
  local p; p="$(on_path_external pulumi-language-nodejs)"
  if [ -n "$p" ]; then log "pulumi-language-nodejs: using $p from PATH"; return 0; fi
  local dir="$CACHE/pulumi-language-nodejs-$PULUMI_LANGUAGE_NODEJS_VERSION"
  cached_build pulumi-language-nodejs "$PULUMI_LANGUAGE_NODEJS_VERSION" "$dir" build_langhost || return 1
  NEW_PATH+=("$dir/bin")
}

# --- Grafana provider plugin --------------------------------------------------

build_provider() {
  local dir="$1" tmp src
  tmp="$(mktmp pulumi-resource-grafana)"
  mkdir -p "$tmp/bin"
  src="$(mod_field "$GRAFANA_PROVIDER_MODULE@v$GRAFANA_PROVIDER_VERSION" Dir)" || { rm -rf "$tmp"; return 1; }
  # Build the provider as the main module so its own replace directives (the
  # pulumi fork of terraform-plugin-sdk) apply exactly as in its release.
  cp -R "$src" "$tmp/src"
  chmod -R u+w "$tmp/src"
  (
    cd "$tmp/src/cmd/pulumi-resource-grafana"
    # schema-embed.json is generated (not in the module zip): schema.json with
    # the version set, marshalled.
    node -e '
      const fs = require("fs");
      const s = JSON.parse(fs.readFileSync("schema.json", "utf8"));
      s.version = process.argv[1];
      fs.writeFileSync("schema-embed.json", JSON.stringify(s));
    ' "$GRAFANA_PROVIDER_VERSION"
    cd "$tmp/src"
    CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X $GRAFANA_PROVIDER_MODULE/pkg/version.Version=$GRAFANA_PROVIDER_VERSION" \
      -o "$tmp/bin/pulumi-resource-grafana" ./cmd/pulumi-resource-grafana
  ) || { rm -rf "$tmp"; return 1; }
  rm -rf "$tmp/src"
  publish "$tmp" "$dir"
}

# install_plugin BINARY: put the provider into $PULUMI_HOME/plugins.
install_plugin() {
  local bin="$1" pdir="$PULUMI_HOME/plugins/resource-grafana-v$GRAFANA_PROVIDER_VERSION" pulumi_bin
  pulumi_bin="$(on_path pulumi)"
  [ -n "$pulumi_bin" ] || { [ -x "$CACHE/pulumi-$PULUMI_VERSION/bin/pulumi" ] && pulumi_bin="$CACHE/pulumi-$PULUMI_VERSION/bin/pulumi"; }
  if [ -n "$pulumi_bin" ] &&
     "$pulumi_bin" plugin install resource grafana "$GRAFANA_PROVIDER_VERSION" --file "$bin" >&2; then
    return 0
  fi
  # Fallback without a CLI: the same layout `pulumi plugin install` creates.
  log "pulumi-resource-grafana: installing into $pdir by copy"
  mkdir -p "$PULUMI_HOME/plugins"
  local tmp; tmp="$(mktemp -d "$PULUMI_HOME/plugins/.tmp-resource-grafana.XXXXXX")"
  chmod 0755 "$tmp"
  install -m 0755 "$bin" "$tmp/pulumi-resource-grafana"
  rm -rf "$pdir" "$pdir.partial"
  mv -T "$tmp" "$pdir"
}

ensure_provider() {
  local dir="$CACHE/pulumi-resource-grafana-v$GRAFANA_PROVIDER_VERSION" t0 p
  local pdir="$PULUMI_HOME/plugins/resource-grafana-v$GRAFANA_PROVIDER_VERSION"
  t0="$(now)"
  p="$(on_path_external pulumi-resource-grafana)"
  if [ -n "$p" ]; then
    log "pulumi-resource-grafana: WARNING $p is on PATH; Pulumi uses such an ambient plugin whatever its version"
  fi
  if [ -x "$pdir/pulumi-resource-grafana" ] && [ ! -e "$pdir.partial" ]; then
    log "pulumi-resource-grafana $GRAFANA_PROVIDER_VERSION: already in $pdir ($(elapsed "$t0"))"
    return 0
  fi
  cached_build pulumi-resource-grafana "$GRAFANA_PROVIDER_VERSION" "$dir" build_provider || return 1
  install_plugin "$dir/bin/pulumi-resource-grafana" || { log "pulumi-resource-grafana: install into $PULUMI_HOME failed"; return 1; }
  log "pulumi-resource-grafana $GRAFANA_PROVIDER_VERSION: installed into $pdir ($(elapsed "$t0"))"
}

# --- Grafana server -----------------------------------------------------------

GRAFANA_KEY="v$GRAFANA_RELEASE-${GRAFANA_VERSION//\//_}"

# grafana_runtime_home SRC DEST: what `grafana server --homepath DEST` reads:
# conf/ and the plugin.json (+ assets it references) of the core plugins.
grafana_runtime_home() {
  local src="$1" dest="$2"
  mkdir -p "$dest"
  cp -R "$src/conf" "$dest/conf"
  # Core plugins: keep plugin.json and their static files (img/, *.svg...),
  # not the front-end sources.
  (cd "$src" && find public/app/plugins -type f \
      \( -name plugin.json -o -path '*/img/*' -o -name '*.svg' -o -name '*.png' \) -print0 |
    while IFS= read -r -d '' f; do mkdir -p "$dest/$(dirname "$f")"; cp "$f" "$dest/$f"; done)
  # Small public/ parts read by the server at run time (emails, views, locales,
  # images); public/build (the compiled front end) is not in the module.
  local d
  for d in public/emails public/views public/img public/fonts public/locales public/openapi3.json public/api-merged.json; do
    [ -e "$src/$d" ] && { mkdir -p "$dest/$(dirname "$d")"; cp -R "$src/$d" "$dest/$d"; }
  done
  mkdir -p "$dest/public/build"
}

build_grafana() {
  local dir="$1" tmp src resolved
  tmp="$(mktmp grafana)"
  mkdir -p "$tmp/bin"
  resolved="$(mod_field "github.com/grafana/grafana@$GRAFANA_VERSION" Version)" || { rm -rf "$tmp"; return 1; }
  src="$(mod_field "github.com/grafana/grafana@$resolved" Dir)" || { rm -rf "$tmp"; return 1; }
  log "grafana: $GRAFANA_VERSION resolved to github.com/grafana/grafana@$resolved (pin this in versions.env)"
  # Build as the main module (its replace/exclude directives only apply there);
  # GOWORK=off since its go.work names nested modules absent from the zip.
  cp -R "$src" "$tmp/src"
  chmod -R u+w "$tmp/src"
  (
    cd "$tmp/src"
    if [ ! -f pkg/server/wire_gen.go ]; then
      go run github.com/google/wire/cmd/wire gen -tags oss ./pkg/server
    fi
    # sqlite (mattn/go-sqlite3) needs cgo.
    CGO_ENABLED=1 go build -trimpath \
      -ldflags "-s -w -X main.version=$GRAFANA_RELEASE -X main.commit=${resolved##*-} -X main.buildBranch=HEAD -X main.buildstamp=$(date +%s)" \
      -o "$tmp/bin/grafana" ./pkg/cmd/grafana
  ) || { rm -rf "$tmp"; return 1; }
  grafana_runtime_home "$tmp/src" "$tmp/home"
  echo "github.com/grafana/grafana@$resolved" >"$tmp/MODULE_VERSION"
  rm -rf "$tmp/src"
  publish "$tmp" "$dir"
}

ensure_grafana() {
  local p; p="$(on_path_external grafana)"
  if [ -n "$p" ]; then
    log "grafana: using $p from PATH (set GRAFANA_HOMEPATH yourself if it is not a packaged install)"
    GRAFANA_HOME_OUT="${GRAFANA_HOMEPATH:-}"
    return 0
  fi
  local dir="$CACHE/grafana-$GRAFANA_KEY"
  cached_build grafana "$GRAFANA_RELEASE" "$dir" build_grafana || return 1
  NEW_PATH+=("$dir/bin")
  GRAFANA_HOME_OUT="$dir/home"
}

# --- main -----------------------------------------------------------------------

# Clean temp dirs left by interrupted builds (we hold the lock).
rm -rf "$CACHE"/.tmp-* 2>/dev/null || true

T_ALL="$(now)"
for t in $ALL_TOOLS; do
  case " $TOOLS " in *" $t "*) ;; *) continue ;; esac
  case "$t" in
    pulumi) ensure_pulumi || FAILED+=("$t") ;;
    pulumi-language-nodejs) ensure_langhost || FAILED+=("$t") ;;
    pulumi-resource-grafana)
      # Put the CLI on PATH first for `pulumi plugin install`.
      PATH="$(IFS=:; echo "${NEW_PATH[*]:-}")${NEW_PATH[*]:+:}$PATH" ensure_provider || FAILED+=("$t") ;;
    grafana) ensure_grafana || FAILED+=("$t") ;;
  esac
done
log "done in $(elapsed "$T_ALL")${FAILED[*]:+; NOT available: ${FAILED[*]}}"

q() { printf '%q' "$1"; }
{
  echo "export WSMON_TOOLCHAIN_CACHE=$(q "$CACHE")"
  echo "export PULUMI_HOME=$(q "$PULUMI_HOME")"
  echo "export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true"
  echo "export PULUMI_DISABLE_REGISTRY_RESOLVE=true"
  echo "export PULUMI_SKIP_UPDATE_CHECK=true"
  [ -n "$GRAFANA_HOME_OUT" ] && echo "export GRAFANA_HOMEPATH=$(q "$GRAFANA_HOME_OUT")"
  if [ ${#NEW_PATH[@]} -gt 0 ]; then
    echo "export PATH=$(q "$(IFS=:; echo "${NEW_PATH[*]}")"):\"\$PATH\""
  else
    echo "export PATH=\"\$PATH\""
  fi
} | tee "$CACHE/env.sh.tmp"
mv -f "$CACHE/env.sh.tmp" "$CACHE/env.sh"

[ ${#FAILED[@]} -eq 0 ]
