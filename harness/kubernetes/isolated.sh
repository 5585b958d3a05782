#!/usr/bin/env bash
# Runs a command in a network namespace of its own: only its loopback, with the TEST-NET-1 address
# 192.0.2.10 (reserved for documentation) added to it. The API server refuses loopback addresses in
# EndpointSlices, so the reference service listens there; no packet can leave the namespace.
# Usage: isolated.sh command [args...]; the command sees the address in WSMON_TEST_NET_ADDRESS.
set -euo pipefail
address=192.0.2.10
map=()
[ "$(id -u)" = 0 ] || map=(--map-root-user)
for tool in unshare ip; do
  command -v "$tool" >/dev/null || { echo "isolated.sh: needs $tool (unshare: util-linux, ip: iproute2)" >&2; exit 1; }
done
# shellcheck disable=SC2016 # expanded by the inner shell, inside the namespace
exec unshare "${map[@]}" --net -- bash -c 'ip link set lo up && ip addr add "$0/32" dev lo && WSMON_TEST_NET_ADDRESS="$0" exec "$@"' "$address" "$@"
