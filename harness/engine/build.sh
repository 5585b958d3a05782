#!/usr/bin/env bash
# Builds the real Pulumi engine the engine tests run, once per version, into a cache outside the repo:
#   the Pulumi CLI (github.com/pulumi/pulumi/pkg/v3, the version of the project's @pulumi/pulumi) and the
#   pulumi-kubernetes provider (the version of the project's @pulumi/kubernetes), installed as a plugin into
#   a PULUMI_HOME of its own. A `pulumi` already on PATH is used as it is; the provider is built all the same
#   unless that PULUMI_HOME has it. Prints the PULUMI_HOME on stdout (the CLI is in its bin/); progress on stderr.
# Cold on 2 cores: the CLI 6 to 19 minutes, the provider 13 to 21 (peak about 4.6 GB of memory).
set -euo pipefail

PULUMI_VERSION=${PULUMI_VERSION:-v3.248.0}
PROVIDER_VERSION=${PROVIDER_VERSION:-4.34.2}
# No tagged provider/v4 is served by the module proxy: this pseudo-version is the 4.34.2 release's tree.
PROVIDER_MODULE_VERSION=${PROVIDER_MODULE_VERSION:-v4.0.0-20260115033456-f47bc2d6f199}
PROVIDER_SDK_VERSION=${PROVIDER_SDK_VERSION:-v4.22.2}
cache_root=${WEBSOCKET_MONITORING_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/websocket-monitoring}
home="$cache_root/pulumi-$PULUMI_VERSION-kubernetes-$PROVIDER_VERSION"
work="$cache_root/src/pulumi-$PULUMI_VERSION-kubernetes-$PROVIDER_VERSION"
plugin_dir="$home/plugins/resource-kubernetes-v$PROVIDER_VERSION"

log() { echo "[engine build $(date +%H:%M:%S)] $*" >&2; }
fail() { echo "harness/engine/build.sh: $*" >&2; exit 1; }
export CGO_ENABLED=0 GOFLAGS=-mod=mod

cli_ready() { [ -x "$home/bin/pulumi" ] || command -v pulumi >/dev/null; }
# Pulumi marks a plugin it is still installing with a .partial file beside its folder.
provider_ready() { [ -x "$plugin_dir/pulumi-resource-kubernetes" ] && [ ! -e "$plugin_dir.partial" ]; }
cli() { if [ -x "$home/bin/pulumi" ]; then "$home/bin/pulumi" "$@"; else pulumi "$@"; fi; }
if cli_ready && provider_ready; then echo "$home"; exit 0; fi
command -v go >/dev/null || fail "Go 1.24 or later is needed to build the Pulumi CLI and the pulumi-kubernetes provider (https://go.dev/doc/install)"
mkdir -p "$home/bin" "$work"

build_cli() {
  local dir="$work/cli"
  mkdir -p "$dir"
  {
    printf 'module scratch/pulumi\n\ngo 1.24\n\nrequire (\n'
    printf '\tgithub.com/pulumi/pulumi/pkg/v3 %s\n\tgithub.com/pulumi/pulumi/sdk/v3 %s\n)\n\n' "$PULUMI_VERSION" "$PULUMI_VERSION"
    # pkg's own go.mod has this one replace that is not a path; a requiring module must repeat it.
    printf 'replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e\n'
  } > "$dir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"\n' > "$dir/tools.go"
  log "resolving github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION"
  (cd "$dir" && go mod tidy >&2) || fail "resolving the Pulumi CLI's modules failed (see above)"
  log "building the Pulumi CLI (the long part: 6 to 19 minutes cold)"
  (cd "$dir" && go build -trimpath -o "$home/bin/pulumi.tmp" \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) || fail "building the Pulumi CLI $PULUMI_VERSION failed (see above)"
  mv "$home/bin/pulumi.tmp" "$home/bin/pulumi"
}

# The provider's go.mod replaces its sdk with ../sdk, which a module download does not carry, and its
# `go generate` step needs Pulumi's codegen: write the two embedded files it would generate instead.
build_provider() {
  local module=github.com/pulumi/pulumi-kubernetes/provider/v4 dir="$work/provider" moddir
  log "fetching $module@$PROVIDER_MODULE_VERSION"
  moddir=$(cd "$work" && GOFLAGS= go mod download -json "$module@$PROVIDER_MODULE_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",*$/\1/p')
  [ -d "$moddir" ] || fail "the module proxy did not give $module@$PROVIDER_MODULE_VERSION"
  rm -rf "$dir" && cp -r "$moddir" "$dir" && chmod -R u+w "$dir"
  sed -i '/^replace github.com\/pulumi\/pulumi-kubernetes\/sdk\/v4 => /d' "$dir/go.mod"
  (cd "$dir" && go mod edit -require "github.com/pulumi/pulumi-kubernetes/sdk/v4@$PROVIDER_SDK_VERSION")
  local cmd="$dir/cmd/pulumi-resource-kubernetes"
  node -e '
    const fs = require("fs"), [dir, version] = process.argv.slice(1);
    const schema = JSON.parse(fs.readFileSync(dir + "/schema.json", "utf8"));
    fs.writeFileSync(dir + "/schema-embed.json", JSON.stringify({ ...schema, version }));
    const mapping = dir + "/terraform-mapping.json";
    if (fs.existsSync(mapping)) fs.writeFileSync(dir + "/terraform-mapping-embed.json", JSON.stringify(JSON.parse(fs.readFileSync(mapping, "utf8"))));
  ' "$cmd" "$PROVIDER_VERSION"
  log "resolving the provider's modules"
  (cd "$dir" && go mod tidy >&2) || fail "resolving the pulumi-kubernetes provider's modules failed (see above)"
  log "building pulumi-resource-kubernetes (the long part: 13 to 21 minutes cold)"
  (cd "$dir" && go build -trimpath -o "$work/pulumi-resource-kubernetes" \
    -ldflags "-s -w -X $module/pkg/version.Version=$PROVIDER_VERSION" ./cmd/pulumi-resource-kubernetes) \
    || fail "building the pulumi-kubernetes provider $PROVIDER_VERSION failed (see above)"
  PULUMI_HOME="$home" cli plugin install resource kubernetes "$PROVIDER_VERSION" --file "$work/pulumi-resource-kubernetes" >&2 \
    || fail "pulumi plugin install of the built provider failed (see above)"
  rm -f "$work/pulumi-resource-kubernetes"
}

cli_ready || build_cli
provider_ready || build_provider
log "done: $home"
echo "$home"
