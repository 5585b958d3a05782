#!/usr/bin/env bash
# The local environment: `npm run up` / `npm run down`, always the stack 'local' (no other arguments).
#   up:   start the reference service, blackbox exporter, Prometheus, a webhook receiver and (with
#         alertEngine prometheus, the local default) Alertmanager as processes on 127.0.0.1 (ports
#         from Pulumi.local.yaml); then, with Pulumi and Grafana on
#         PATH, Grafana and `pulumi up --stack local --yes` on the file backend. Ends with a summary:
#         what runs where, and one line per missing tool saying how to install it. The webhook
#         receiver is also the heartbeat's dead man's switch (README, "When monitoring itself fails").
#         Exit 0: everything that can run here runs (without Pulumi or Grafana: everything but them).
#         Exit 1: invalid config (nothing started), a process that did not start (what this run
#         started is stopped again), or a failed `pulumi up`. Exit 2: bad arguments.
#   down: `pulumi destroy --stack local --yes` (when Grafana runs), then stop every process.
# State: .pulumi-state/ (Pulumi file backend), .local/ (data, logs, pid files); both ignored by git.
# WSMON_WEBHOOK_PORT: port of the webhook receiver (default 9099, the port of the local webhookUrl).
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

# start NAME READY_URL COMMAND...: runs COMMAND in its own process group unless NAME runs already.
start() {
  local name=$1 ready=$2; shift 2
  SUMMARY+=("$(printf '  %-18s %s' "$name" "$ready")")
  if running "$name"; then log "$name already running, unchanged"; return; fi
  if [ -f "$RUN/$name.pid" ]; then log "$name had stopped (pid $(cat "$RUN/$name.pid") is gone): starting it again"; fi
  if curl -fsS -o /dev/null "$ready" 2>/dev/null; then
    start_failed "$name: something else already answers at $ready: stop it, or change the port in Pulumi.local.yaml"
  fi
  setsid "$@" >"$LOGS/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
  STARTED+=("$name")
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$ready" 2>/dev/null; then log "$name ready ($ready)"; return; fi
    running "$name" || break
    sleep 0.5
  done
  log "$name did not become ready at $ready; the end of .local/logs/$name.log:"
  tail -n 20 "$LOGS/$name.log" >&2
  start_failed
}

start_failed() {
  if [ $# -gt 0 ]; then log "$1"; fi
  local i
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do stop "${STARTED[i]}"; done
  log "stopped what this run had started; 'npm run down' stops what an earlier 'npm run up' left running."
  exit 1
}

# stop NAME: its whole process group, SIGKILL if it is still there after 5s.
stop() {
  local name=$1 pid
  if running "$name"; then
    pid=$(cat "$RUN/$name.pid")
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    log "stopped $name"
  fi
  rm -f "$RUN/$name.pid"
}

MISSING=()      # one line per missing tool of the Grafana half: what, and how to install it
GRAFANA_CMD=()  # the Grafana server command, with its home folder
# Pulumi and Grafana from PATH: fills GRAFANA_CMD, or MISSING.
find_grafana_half() {
  local pulumi_bin grafana_bin home
  if pulumi_bin=$(command -v pulumi); then
    command -v pulumi-language-nodejs >/dev/null || [ -x "$(dirname "$pulumi_bin")/pulumi-language-nodejs" ] ||
      MISSING+=("pulumi-language-nodejs: not next to $pulumi_bin nor on PATH; reinstall Pulumi with its installer, which ships it (https://www.pulumi.com/docs/iac/download-install/)")
    command -v pulumi-resource-grafana >/dev/null ||
      [ -d "${PULUMI_HOME:-$HOME/.pulumi}/plugins/resource-grafana-v$GRAFANA_PLUGIN_VERSION" ] ||
      MISSING+=("Grafana provider plugin $GRAFANA_PLUGIN_VERSION: pulumi plugin install resource grafana $GRAFANA_PLUGIN_VERSION --server $GRAFANA_PLUGIN_SERVER")
  else
    MISSING+=("pulumi: not on PATH; install Pulumi: curl -fsSL https://get.pulumi.com | sh (or https://www.pulumi.com/docs/iac/download-install/)")
  fi
  if grafana_bin=$(command -v grafana); then
    GRAFANA_CMD=("$grafana_bin" server)
  elif grafana_bin=$(command -v grafana-server); then
    GRAFANA_CMD=("$grafana_bin")
  else
    MISSING+=("grafana: not on PATH; install Grafana 11.0 or later (12.1 with alertEngine grafana): https://grafana.com/docs/grafana/latest/setup-grafana/installation/")
    return 0
  fi
  # Its home folder (conf/defaults.ini): GRAFANA_HOMEPATH, the folder above bin/, or a package's.
  for home in "${GRAFANA_HOMEPATH:-}" "$(dirname "$(dirname "$(readlink -f "$grafana_bin")")")" /usr/share/grafana; do
    if [ -n "$home" ] && [ -f "$home/conf/defaults.ini" ]; then GRAFANA_CMD+=(--homepath "$home"); return 0; fi
  done
  MISSING+=("grafana: $grafana_bin found, but not its home folder: set GRAFANA_HOMEPATH to the folder with conf/defaults.ini")
}

up() {
  mkdir -p "$RUN" "$LOGS"
  install_missing
  local env_sh
  if ! env_sh=$("$TSX" scripts/local-env.ts --webhook-port "$WEBHOOK_PORT"); then
    log "nothing started: fix Pulumi.local.yaml, then 'npm run up' again"
    exit 1
  fi
  eval "$env_sh"

  start service "http://$SERVICE_HOST:$SERVICE_PORT/ws/health" "$TSX" service/main.ts --host "$SERVICE_HOST" --port "$SERVICE_PORT"
  start blackbox-exporter "http://$BLACKBOX_ADDRESS/metrics" prometheus-blackbox-exporter \
    --config.file="$ROOT/prometheus/blackbox.yml" --web.listen-address="$BLACKBOX_ADDRESS"
  local prometheus_was_running=""
  if running prometheus; then prometheus_was_running=1; fi
  start prometheus "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" prometheus --config.file="$PROMETHEUS_CONFIG" \
    --storage.tsdb.path="$ROOT/.local/prometheus/data" --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --web.enable-lifecycle \
    --rules.alert.resend-delay="$RESEND_DELAY" --storage.tsdb.retention.time="$PROMETHEUS_RETENTION"
  # Pulumi.local.yaml changed the files of a Prometheus that kept running: reload it, restart nothing.
  if [ -n "$prometheus_was_running" ] && [ -n "$PROMETHEUS_CHANGED" ]; then
    if curl -fsS -o /dev/null -X POST "http://127.0.0.1:$PROMETHEUS_PORT/-/reload"; then
      log "prometheus reloaded: $PROMETHEUS_CHANGED changed"
    else
      log "prometheus did not reload $PROMETHEUS_CHANGED (the end of .local/logs/prometheus.log):"
      tail -n 5 "$LOGS/prometheus.log" >&2
      exit 1
    fi
  fi
  # With a heartbeat the receiver is also the dead man's switch: it must know the path and interval.
  local heartbeat_args=()
  if [ -n "$HEARTBEAT_PATH" ]; then
    heartbeat_args=(--heartbeat-path "$HEARTBEAT_PATH" --heartbeat-interval "$HEARTBEAT_INTERVAL" --heartbeat-out "$ROOT/.local/heartbeat.jsonl")
  fi
  start webhook-receiver "http://127.0.0.1:$WEBHOOK_PORT/" "$TSX" scripts/webhook-receiver.ts --port "$WEBHOOK_PORT" --out "$ROOT/.local/webhook.jsonl" \
    "${heartbeat_args[@]}"
  # Without a cluster address Alertmanager gossips with no one: a single local instance.
  if [ -n "$ALERTMANAGER_PORT" ]; then
    start alertmanager "http://127.0.0.1:$ALERTMANAGER_PORT/-/ready" prometheus-alertmanager --config.file="$ALERTMANAGER_CONFIG" \
      --storage.path="$ROOT/.local/alertmanager/data" --web.listen-address="127.0.0.1:$ALERTMANAGER_PORT" --cluster.listen-address=
  fi

  find_grafana_half
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
  if [ -n "$ALERTMANAGER_PORT" ]; then
    echo "Alerts: Prometheus evaluates the rules, Alertmanager notifies the webhook receiver, which appends each notification to .local/webhook.jsonl."
  fi
  if [ -n "$HEARTBEAT" ]; then
    echo "Heartbeat (dead man's switch, WebSocketMonitoringHeartbeat): $HEARTBEAT; it stops arriving when the alert path is down."
    echo "  The webhook receiver watches it: after 2 x $HEARTBEAT_INTERVAL + 5s without a beat it writes \"heartbeat missing\" to .local/heartbeat.jsonl and .local/logs/webhook-receiver.log (\"heartbeat back\" when beats resume): tail -f .local/heartbeat.jsonl"
  fi
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
  local pid_file
  for pid_file in "$RUN"/*.pid; do
    if [ -e "$pid_file" ]; then stop "$(basename "$pid_file" .pid)"; fi
  done
}

case "$#:${1:-}" in
  1:up) up ;;
  1:down) down ;;
  1:-h | 1:--help) echo "$USAGE" ;;
  *) echo "scripts/local.sh: expected 'up' or 'down' and nothing else, got: ${*:-nothing}" >&2; echo "$USAGE" >&2; exit 2 ;;
esac
