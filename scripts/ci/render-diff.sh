#!/usr/bin/env bash
# The render diff of a pull request: renders every stack (`npm run render`) of the base and of the
# head checkout and writes what changed, readably:
#   <out>/base/<stack>/..., <out>/head/<stack>/...  the rendered files
#   <out>/render.diff                                diff -ruN base head
#   <out>/comment.md                                 the diff for a PR comment or the job summary
# A stack that does not render (invalid config, no render command yet on the base) gets a
# RENDER-ERROR.txt with the message instead, so that the failure shows in the diff too.
# Usage: scripts/ci/render-diff.sh <base checkout> <head checkout> <out dir>
set -euo pipefail

base_src="$(cd "${1:?usage: render-diff.sh <base> <head> <out>}" && pwd)"
head_src="$(cd "${2:?}" && pwd)"
mkdir -p "${3:?}"
out="$(cd "$3" && pwd)"
# GitHub refuses comments longer than 65536 characters; the artifact has the whole diff.
MAX_DIFF_CHARS=60000

stacks="$(find "$base_src" "$head_src" -maxdepth 1 -name 'Pulumi.*.yaml' -printf '%f\n' | sed 's/^Pulumi\.\(.*\)\.yaml$/\1/' | sort -u)"

# render <checkout> <dest>
render() {
  local src="$1" dest="$2" stack log
  mkdir -p "$dest"
  # A fresh checkout (CI) is installed; a local one with node_modules is used as it is.
  [ -d "$src/node_modules" ] || (cd "$src" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  for stack in $stacks; do
    [ -f "$src/Pulumi.$stack.yaml" ] || continue # diff -N shows the stack as added or removed
    log="$(mktemp)"
    if ! (cd "$src" && npm run --silent render -- --stack "$stack" --out "$dest/$stack") >"$log" 2>&1; then
      mkdir -p "$dest/$stack"
      mv "$log" "$dest/$stack/RENDER-ERROR.txt"
    fi
    rm -f "$log"
  done
}

label() {
  git -C "$1" rev-parse --short HEAD 2>/dev/null || basename "$1"
}

render "$base_src" "$out/base"
render "$head_src" "$out/head"

cd "$out"
status=0
diff -ruN base head >render.raw || status=$?
[ "$status" -le 1 ] || exit "$status"
# File times are noise here.
sed -E 's/^(---|\+\+\+) ([^\t]+)\t.*$/\1 \2/' render.raw >render.diff
rm render.raw

{
  echo "### Rendered monitoring config: \`$(label "$base_src")\` (base) → \`$(label "$head_src")\` (head)"
  echo
  if [ ! -s render.diff ]; then
    echo "No change to the rendered Prometheus and Grafana files of any stack ($(echo "$stacks" | paste -sd, - | sed 's/,/, /g'))."
  else
    echo "$(grep -c '^diff -ruN' render.diff) file(s) changed. Every rendered file and the whole diff: artifact \`rendered-monitoring\` of this run."
    echo
    echo '````diff'
    head -c "$MAX_DIFF_CHARS" render.diff
    if [ "$(wc -c <render.diff)" -gt "$MAX_DIFF_CHARS" ]; then
      echo
      echo "… truncated: see the artifact for the rest."
    fi
    echo '````'
  fi
} >comment.md
