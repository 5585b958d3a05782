#!/usr/bin/env bash
# The local environment: `npm run up` / `npm run down`, always the stack 'local' (README, Quick start).
#   up:   a reference service per target and demo clients per service (scripts/localServices.ts),
#         the blackbox exporter, Prometheus, the webhook receiver (also the heartbeat's dead man's
#         switch) and, with alertEngine prometheus, Alertmanager, on 127.0.0.1 as Pulumi.local.yaml
#         says (scripts/local-env.ts); with Pulumi and Grafana on PATH, Grafana and `pulumi up`.
#         Safe to repeat: a running process stays, reloads changed files or restarts for changed
#         flags, saying which. Ends with a summary. Exit 1: invalid config (nothing started), a
#         process that did not start (what this run started is stopped again), a failed `pulumi up`.
#   down: `pulumi destroy --stack local --yes` (when Grafana runs), then stop every process.
# Exit 2: bad arguments. State: .pulumi-state/, .local/ (logs, the previous run's as <name>.log.1).
# WSMON_WEBHOOK_PORT: the webhook receiver's port (default 9099, the local webhookUrl's);
# WSMON_MAX_CONNECTIONS: the connections each reference service accepts (default its own, 10000).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUN=$ROOT/.local/run
LOGS=$ROOT/.local/logs
TSX=$ROOT/node_modules/.bin/tsx
WEBHOOK_PORT=${WSMON_WEBHOOK_PORT:-9099}
export PULUMI_BACKEND_URL="file://$ROOT/.pulumi-state"
# Documented, local-only: it protects nothing but admin:admin and the local webhook URL.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-local-only-passphrase}"
export PULUMI_SKIP_UPDATE_CHECK=true

USAGE="usage: npm run up | npm run down   (scripts/local.sh up|down: the stack 'local' on this machine)
  other stacks: pulumi preview --stack <name>, or npm run render -- --stack <name> --out <dir>"

log() { echo "[local] $*" >&2; }

install_missing() {
  [ -d node_modules ] || npm ci --no-audit --no-fund
  local packages=(prometheus prometheus-blackbox-exporter prometheus-alertmanager)
  if ! command -v prometheus >/dev/null || ! command -v prometheus-blackbox-exporter >/dev/null || ! command -v prometheus-alertmanager >/dev/null; then
    log "installing Debian's ${packages[*]}"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null; then
      log "could not install them: run 'sudo apt-get install ${packages[*]}' (or put them on PATH), then 'npm run up'"
      exit 1
    fi
  fi
}

# alive PID: running, and not a zombie (exited, waiting for an init that may reap only every few
# seconds); without ps, whatever kill -0 reaches counts.
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  case "$(ps -o stat= -p "$1" 2>/dev/null)" in Z*) return 1 ;; esac
}
running() { [ -f "$RUN/$1.pid" ] && alive "$(cat "$RUN/$1.pid")"; }

STARTED=()  # started by this run: stopped again if a later one fails
SUMMARY=()  # one line per process: name and URL

# ready NAME CHECK: CHECK is a URL that answers, or log:TEXT, a line of NAME's log.
ready() {
  case $2 in
    log:*) grep -qF -- "${2#log:}" "$LOGS/$1.log" 2>/dev/null ;;
    *) curl -fsS -o /dev/null "$2" 2>/dev/null ;;
  esac
}

# start NAME CHECK COMMAND...: runs COMMAND in its own process group, its previous log kept as
# NAME.log.1. A running NAME started with the same COMMAND (and $FINGERPRINT, what it read at start)
# stays; if it re-reads files that changed ($CHANGED) it reloads them at $RELOAD. A running NAME
# started with other flags is restarted, and the run says which flags.
start() {
  local name=$1 check=$2 want had new_flags=() word; shift 2
  want="$* ${FINGERPRINT:-}"
  SUMMARY+=("$(printf '  %-18s %s' "$name" "${check#log:}")")
  if running "$name"; then
    had=$(cat "$RUN/$name.cmd" 2>/dev/null || true)
    if [ "$had" = "$want" ] && [ -z "${CHANGED:-}" ]; then log "$name already running, unchanged"; return; fi
    if [ "$had" = "$want" ]; then reload "$name"; return; fi
    for word in $want; do [[ " $had " == *" $word "* ]] || new_flags+=("$word"); done
    log "$name restarting, to take its new flags: ${new_flags[*]}"
    stop "$name"
  elif [ -f "$RUN/$name.pid" ]; then
    log "$name had stopped (pid $(cat "$RUN/$name.pid") is gone): starting it again"
  fi
  if [[ $check != log:* ]] && ready "$name" "$check"; then
    start_failed "$name: something else already answers at $check: stop it, or change the port in Pulumi.local.yaml"
  fi
  if [ -f "$LOGS/$name.log" ]; then mv -f "$LOGS/$name.log" "$LOGS/$name.log.1"; fi
  setsid "$@" >"$LOGS/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
  echo "$want" >"$RUN/$name.cmd"
  STARTED+=("$name")
  for _ in $(seq 1 120); do
    if ready "$name" "$check"; then log "$name ready (${check#log:})"; return; fi
    running "$name" || break
    sleep 0.5
  done
  log "$name did not become ready (${check#log:}); the end of .local/logs/$name.log:"
  tail -n 20 "$LOGS/$name.log" >&2
  start_failed
}

# reload NAME: a NAME that kept running re-reads $CHANGED, rewritten from Pulumi.local.yaml, at $RELOAD.
reload() {
  if curl -fsS -o /dev/null -X POST "$RELOAD"; then log "$1 reloaded: $CHANGED changed"; return; fi
  log "$1 did not reload $CHANGED (the end of .local/logs/$1.log):"
  tail -n 5 "$LOGS/$1.log" >&2
  exit 1
}

start_failed() {
  if [ $# -gt 0 ]; then log "$1"; fi
  local i
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do stop "${STARTED[i]}" || true; done
  log "stopped what this run had started; 'npm run down' stops what an earlier 'npm run up' left running."
  exit 1
}

# stop NAME: its whole process group, SIGKILL if it is still there after 5s; false if none ran.
stop() {
  local name=$1 pid
  if running "$name"; then
    pid=$(cat "$RUN/$name.pid")
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    log "stopped $name"
  else
    pid=""
  fi
  rm -f "$RUN/$name.pid" "$RUN/$name.cmd"
  [ -n "$pid" ]
}

up() {
  mkdir -p "$RUN" "$LOGS"
  install_missing
  local env_sh
  if ! env_sh=$("$TSX" scripts/local-env.ts --webhook-port "$WEBHOOK_PORT"); then
    log "nothing started: fix Pulumi.local.yaml (or the WSMON_ variable named), then 'npm run up' again"
    exit 1
  fi
  eval "$env_sh"

  # A reference service on each target (scripts/localServices.ts), WSMON_MAX_CONNECTIONS its limit; real clients
  # of each service, so that the dashboards live and no idle service pages; first, what Pulumi.local.yaml no longer has.
  local entry name host port url limit=()
  for name in "${STALE[@]}"; do stop "$name" && log "$name stopped: Pulumi.local.yaml no longer has it"; done
  if [ -n "$MAX_CONNECTIONS" ]; then limit=(--max-connections="$MAX_CONNECTIONS"); fi
  for entry in "${REFERENCES[@]}"; do
    IFS='|' read -r name host port <<<"$entry"
    start "$name" "http://$host:$port/ws/health" "$TSX" service/main.ts --host="$host" --port="$port" "${limit[@]}"
  done
  for entry in "${CLIENTS[@]}"; do
    IFS='|' read -r name url <<<"$entry"
    start "$name" "log:$DEMO_CLIENTS clients connected to $url" "$TSX" scripts/demo-clients.ts --url="$url" --clients="$DEMO_CLIENTS"
  done
  FINGERPRINT="blackbox.yml@$BLACKBOX_CONFIG_DIGEST" start blackbox-exporter "http://$BLACKBOX_ADDRESS/metrics" \
    prometheus-blackbox-exporter --config.file="$BLACKBOX_CONFIG" --web.listen-address="$BLACKBOX_ADDRESS"
  CHANGED=$PROMETHEUS_CHANGED RELOAD="http://127.0.0.1:$PROMETHEUS_PORT/-/reload" start prometheus "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" \
    prometheus --config.file="$PROMETHEUS_CONFIG" --storage.tsdb.path="$ROOT/.local/prometheus/data" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --web.enable-lifecycle \
    --rules.alert.resend-delay="$RESEND_DELAY" --storage.tsdb.retention.time="$PROMETHEUS_RETENTION"
  # With a heartbeat the receiver is also the dead man's switch: HEARTBEAT_ARGS, its path and interval.
  start webhook-receiver "http://127.0.0.1:$WEBHOOK_PORT/" "$TSX" scripts/webhook-receiver.ts --port="$WEBHOOK_PORT" --out="$ROOT/.local/webhook.jsonl" \
    "${HEARTBEAT_ARGS[@]}"
  # Without a cluster address Alertmanager gossips with no one: a single local instance.
  if [ -n "$ALERTMANAGER_PORT" ]; then
    if [ -n "$ALERTMANAGER_KEPT" ]; then
      log "alertmanager.yml kept: its receivers hold secrets that only 'pulumi up --stack local' writes (it reloads Alertmanager)"
    fi
    CHANGED=$ALERTMANAGER_CHANGED RELOAD="http://127.0.0.1:$ALERTMANAGER_PORT/-/reload" start alertmanager "http://127.0.0.1:$ALERTMANAGER_PORT/-/ready" \
      prometheus-alertmanager --config.file="$ALERTMANAGER_CONFIG" --storage.path="$ROOT/.local/alertmanager/data" \
      --web.listen-address="127.0.0.1:$ALERTMANAGER_PORT" --cluster.listen-address=
  fi

  local dashboard=""
  if [ ${#MISSING[@]} -eq 0 ]; then
    start grafana "http://127.0.0.1:$GRAFANA_PORT/api/health" env \
      GF_PATHS_DATA="$ROOT/.local/grafana/data" GF_PATHS_LOGS="$ROOT/.local/grafana/logs" \
      GF_PATHS_PLUGINS="$ROOT/.local/grafana/plugins" GF_PATHS_PROVISIONING="$ROOT/.local/grafana/provisioning" \
      GF_SERVER_HTTP_ADDR=127.0.0.1 GF_SERVER_HTTP_PORT="$GRAFANA_PORT" \
      GF_SECURITY_ADMIN_USER=admin GF_SECURITY_ADMIN_PASSWORD=admin \
      GF_PLUGINS_PREINSTALL_DISABLED=true GF_ANALYTICS_REPORTING_ENABLED=false GF_ANALYTICS_CHECK_FOR_UPDATES=false \
      GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES=false GF_NEWS_NEWS_FEED_ENABLED=false \
      "${GRAFANA_CMD[@]}"
    pulumi stack select local --non-interactive 2>/dev/null || pulumi stack init local --secrets-provider passphrase --non-interactive
    if ! pulumi up --stack local --yes --non-interactive; then
      log "pulumi up failed (above); the processes keep running: fix it and run 'npm run up' again, or 'npm run down'"
      exit 1
    fi
    dashboard=$(pulumi stack output dashboardUrl --stack local)
  fi

  echo "Running on 127.0.0.1 (logs in .local/logs/; 'npm run down' stops them):"
  printf '%s\n' "${SUMMARY[@]}"
  printf '%s\n' "${NOTES[@]}"
  if [ -n "$dashboard" ]; then
    echo "Dashboard: $dashboard"
  else
    echo "Not started: Grafana and 'pulumi up --stack local', for want of:"
    printf '  %s\n' "${MISSING[@]}"
  fi
}

down() {
  if running grafana && [ -d .pulumi-state ]; then
    if ! pulumi destroy --stack local --yes --non-interactive; then
      log "pulumi destroy failed (above); nothing stopped: fix it and run 'npm run down' again"
      exit 1
    fi
  fi
  local pid_file stopped=""
  for pid_file in "$RUN"/*.pid; do
    if [ -e "$pid_file" ] && stop "$(basename "$pid_file" .pid)"; then stopped=1; fi
  done
  if [ -z "$stopped" ]; then echo "nothing was running: no process of 'npm run up' to stop"; fi
}

case "$#:$*" in  # `npm run up -- --help` hands the script `up --help`
  1:up) up ;;
  1:down) down ;;
  1:-h | 1:--help | 2:up\ -h | 2:up\ --help | 2:down\ -h | 2:down\ --help) echo "$USAGE" ;;
  *) echo "scripts/local.sh: expected 'up' or 'down' and nothing else, got: ${*:-nothing}" >&2; echo "$USAGE" >&2; exit 2 ;;
esac
