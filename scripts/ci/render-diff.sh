#!/usr/bin/env bash
# The render diff of a pull request: renders every stack (`npm run render`) of the base and of the
# head checkout and writes what changed, readably:
#   <out>/base/<stack>/..., <out>/head/<stack>/...  the rendered files
#   <out>/render.diff                                diff -ruN base head
#   <out>/comment.md                                 the diff for a PR comment or the job summary, after a
#                                                    table of the changed files: does the stack deploy each, and as what
#                                                    (its line in the stack's DEPLOYMENT.txt, which render writes)
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

# deployment <stack> <file>: what the stack deploys of the file, from head's DEPLOYMENT.txt (base's for a removed file).
deployment() {
  local side said
  for side in head base; do
    [ -f "$side/$1/DEPLOYMENT.txt" ] || continue
    said="$(awk -v f="$2: " 'index($0, f) == 1 { print substr($0, length(f) + 1); exit }' "$side/$1/DEPLOYMENT.txt")"
    if [ -n "$said" ]; then
      if [ "$side" = base ]; then printf 'removed; was '; fi
      printf '%s\n' "$said" | sed 's/|/\\|/g'
      return
    fi
  done
  echo "not known (no DEPLOYMENT.txt: rendered by an older render)"
}

# The changed files, a table row each: the stack, the file, and whether the stack deploys it.
deployment_table() {
  local stack file
  echo "| stack | changed file | what the stack deploys of it |"
  echo "| --- | --- | --- |"
  sed -n 's|^diff -ruN base/\([^/]*\)/\([^ ]*\) head/.*$|\1 \2|p' render.diff | while read -r stack file; do
    case "$file" in DEPLOYMENT.txt | RENDER-ERROR.txt) continue ;; esac
    echo "| $stack | \`$file\` | $(deployment "$stack" "$file") |"
  done
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
    echo "$(grep -c '^diff -ruN' render.diff) file(s) changed. Every rendered file and the whole diff: artifact \`rendered-monitoring\` of this run. Render also writes files a stack does not deploy (for review and promtool): \"not deployed\" below."
    echo
    deployment_table
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
