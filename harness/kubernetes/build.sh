#!/usr/bin/env bash
# Builds the real control plane the Kubernetes tests run against, once per version, into a cache outside the repo:
#   kube-apiserver and kube-controller-manager (k8s.io/kubernetes, Go module proxy; the controller manager's
#   garbage collector ends the foreground deletions pulumi-kubernetes makes), prometheus-operator (its cmd/operator and CRD manifests),
#   and the prometheus and promtool of the release the operator is built against (Debian's have no Kubernetes discovery).
# Prints the cache directory on stdout; progress goes to stderr. A cold build takes about 20 minutes on 2 cores.
set -euo pipefail

KUBERNETES_VERSION=${KUBERNETES_VERSION:-v1.34.2}
OPERATOR_VERSION=${OPERATOR_VERSION:-v0.85.0}
cache_root=${WEBSOCKET_MONITORING_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/websocket-monitoring}
out="$cache_root/kubernetes-$KUBERNETES_VERSION-operator-$OPERATOR_VERSION"

if [ -x "$out/bin/kube-apiserver" ] && [ -x "$out/bin/kube-controller-manager" ] && [ -x "$out/bin/operator" ] && [ -x "$out/bin/promtool" ] && [ -x "$out/bin/prometheus" ] && [ -d "$out/crds" ]; then
  echo "$out"
  exit 0
fi
command -v go >/dev/null || { echo "build.sh: Go 1.24 or later is needed to build kube-apiserver and prometheus-operator (https://go.dev/doc/install; Debian's golang is too old)" >&2; exit 1; }

log() { echo "[build $(date +%H:%M:%S)] $*" >&2; }
mkdir -p "$out/bin"
work="$out/src"
export CGO_ENABLED=0 GOFLAGS=-mod=mod

# k8s.io/kubernetes replaces its staging modules with ./staging paths that a module download does not carry:
# a scratch module points each of them at its published release of the same minor (v1.34.2 -> v0.34.2).
build_apiserver() {
  local dir="$work/apiserver" staging_version="v0${KUBERNETES_VERSION#v1}"
  mkdir -p "$dir"
  log "fetching k8s.io/kubernetes@$KUBERNETES_VERSION"
  local gomod
  gomod=$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^\s*"GoMod": "\(.*\)",*$/\1/p')
  {
    echo "module scratch/apiserver"
    echo
    echo "go 1.24"
    echo
    echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
    echo
    sed -n 's#^\s*\(k8s.io/[^ ]*\) => \./staging/src/.*#replace \1 => \1 '"$staging_version"'#p' "$gomod"
  } > "$dir/go.mod"
  write_kubernetes_tools "$dir"
  log "resolving modules ($(grep -c '^replace' "$dir/go.mod") staging modules replaced)"
  (cd "$dir" && go mod tidy >&2)
  build_kubernetes_command kube-apiserver
}

write_kubernetes_tools() {
  printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager"\n)\n' > "$1/tools.go"
}

# One command of k8s.io/kubernetes, with the version stamped (clients and the operator read it).
build_kubernetes_command() {
  local dir="$work/apiserver" pkg=k8s.io/component-base/version minor=${KUBERNETES_VERSION#v1.}
  minor=${minor%%.*}
  log "building $1 (minutes)"
  (cd "$dir" && go build -trimpath -o "$out/bin/$1" \
    -ldflags "-s -w -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor" \
    "k8s.io/kubernetes/cmd/$1")
}

# A cache built before the controller manager was needed has the scratch module without its import.
build_controller_manager() {
  local dir="$work/apiserver"
  if ! grep -q kube-controller-manager "$dir/tools.go" 2>/dev/null; then
    write_kubernetes_tools "$dir"
    (cd "$dir" && go mod tidy >&2)
  fi
  build_kubernetes_command kube-controller-manager
}

build_operator() {
  local dir="$work/operator" module=github.com/prometheus-operator/prometheus-operator
  mkdir -p "$dir"
  printf 'module scratch/operator\n\ngo 1.24\n\nrequire %s %s\n' "$module" "$OPERATOR_VERSION" > "$dir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s/cmd/operator"\n' "$module" > "$dir/tools.go"
  log "resolving prometheus-operator@$OPERATOR_VERSION"
  (cd "$dir" && go mod tidy >&2)
  log "building prometheus-operator"
  (cd "$dir" && go build -trimpath -o "$out/bin/operator" -ldflags "-s -w" "$module/cmd/operator")
  local moddir
  moddir=$(cd "$dir" && go list -m -f '{{.Dir}}' "$module")
  rm -rf "$out/crds"
  cp -r "$moddir/example/prometheus-operator-crd" "$out/crds"
  chmod -R u+w "$out/crds"
}

# prometheus and promtool of the release the operator's config generation is built against, in a module
# of their own: the operator's newer client-go does not build Prometheus' Kubernetes discovery. Built
# without the web UI's assets (the API is all the tests use).
build_prometheus() {
  local dir="$work/prometheus" module=github.com/prometheus/prometheus version
  version=$(cd "$work/operator" && go list -m -f '{{.Version}}' "$module")
  mkdir -p "$dir"
  printf 'module scratch/prometheus\n\ngo 1.24\n\nrequire %s %s\n' "$module" "$version" > "$dir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "%s/cmd/prometheus"\n\t_ "%s/cmd/promtool"\n)\n' "$module" "$module" > "$dir/tools.go"
  log "resolving $module@$version"
  (cd "$dir" && go mod tidy >&2)
  log "building promtool and prometheus"
  (cd "$dir" && go build -trimpath -o "$out/bin/promtool" -ldflags "-s -w" "$module/cmd/promtool")
  (cd "$dir" && go build -trimpath -o "$out/bin/prometheus" -ldflags "-s -w" "$module/cmd/prometheus")
}

[ -x "$out/bin/kube-apiserver" ] || build_apiserver
[ -x "$out/bin/kube-controller-manager" ] || build_controller_manager
if [ ! -x "$out/bin/operator" ] || [ ! -d "$out/crds" ]; then build_operator; fi
if [ ! -x "$out/bin/promtool" ] || [ ! -x "$out/bin/prometheus" ]; then build_prometheus; fi
log "done: $out"
echo "$out"
