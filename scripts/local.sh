#!/usr/bin/env bash
# The local environment: `npm run up` / `npm run down`.
#   up:   install what is missing, start the reference service, blackbox exporter, Prometheus,
#         a webhook receiver and Grafana as processes on 127.0.0.1 (ports from Pulumi.local.yaml),
#         then `pulumi up --stack local --yes` on the file backend and print the dashboard URL.
#   down: `pulumi destroy --stack local --yes`, then stop the processes.
# State: .pulumi-state/ (Pulumi file backend), .local/ (data, logs, pid files); both ignored by git.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUN=$ROOT/.local/run
mkdir -p "$RUN" "$ROOT/.local/logs"

export PULUMI_BACKEND_URL="file://$ROOT/.pulumi-state"
# Documented, local-only: it protects nothing but admin:admin and the local webhook URL.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-local-only-passphrase}"

log() { echo "[local] $*" >&2; }

install_missing() {
  [ -d node_modules ] || npm ci --no-audit --no-fund
  if ! command -v prometheus >/dev/null || ! command -v prometheus-blackbox-exporter >/dev/null; then
    log "installing Debian's prometheus and prometheus-blackbox-exporter"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus prometheus-blackbox-exporter >/dev/null
  fi
}

running() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

# start NAME READY_URL COMMAND...: runs COMMAND in its own process group unless NAME runs already.
start() {
  local name=$1 ready=$2; shift 2
  if running "$name"; then log "$name already running"; return; fi
  setsid "$@" >"$ROOT/.local/logs/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$ready" 2>/dev/null; then log "$name ready ($ready)"; return; fi
    running "$name" || break
    sleep 0.5
  done
  log "$name did not become ready at $ready; its log:"; tail -n 20 "$ROOT/.local/logs/$name.log" >&2
  exit 1
}

stop() {
  local name=$1
  if running "$name"; then kill -TERM -- "-$(cat "$RUN/$name.pid")" 2>/dev/null || true; log "stopped $name"; fi
  rm -f "$RUN/$name.pid"
}

SERVICES="grafana webhook-receiver prometheus blackbox-exporter service"

up() {
  install_missing
  eval "$(npx tsx scripts/local-env.ts)"
  start service "http://$SERVICE_HOST:$SERVICE_PORT/ws/health" npx tsx service/main.ts --host "$SERVICE_HOST" --port "$SERVICE_PORT"
  start blackbox-exporter "http://$BLACKBOX_ADDRESS/metrics" prometheus-blackbox-exporter \
    --config.file="$ROOT/prometheus/blackbox.yml" --web.listen-address="$BLACKBOX_ADDRESS"
  start prometheus "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" prometheus --config.file="$PROMETHEUS_CONFIG" \
    --storage.tsdb.path="$ROOT/.local/prometheus/data" --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --web.enable-lifecycle
  start webhook-receiver "http://127.0.0.1:9099/" npx tsx scripts/webhook-receiver.ts --port 9099 --out "$ROOT/.local/webhook.jsonl"

  local toolchain
  if ! toolchain=$(toolchain/ensure.sh); then
    log "Prometheus (http://127.0.0.1:$PROMETHEUS_PORT) scrapes the reference service, but the Grafana side cannot be deployed:"
    log "the tools above could not be built here (docs/toolchain.md says why). 'npm run down' stops the processes."
    exit 1
  fi
  eval "$toolchain"
  start grafana "http://127.0.0.1:$GRAFANA_PORT/api/health" env \
    GF_PATHS_DATA="$ROOT/.local/grafana/data" GF_PATHS_LOGS="$ROOT/.local/grafana/logs" \
    GF_PATHS_PLUGINS="$ROOT/.local/grafana/plugins" GF_PATHS_PROVISIONING="$ROOT/.local/grafana/provisioning" \
    GF_SERVER_HTTP_ADDR=127.0.0.1 GF_SERVER_HTTP_PORT="$GRAFANA_PORT" \
    GF_SECURITY_ADMIN_USER=admin GF_SECURITY_ADMIN_PASSWORD=admin \
    GF_PLUGINS_PREINSTALL_DISABLED=true GF_ANALYTICS_REPORTING_ENABLED=false GF_ANALYTICS_CHECK_FOR_UPDATES=false \
    GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES=false GF_NEWS_NEWS_FEED_ENABLED=false \
    grafana server --homepath "$GRAFANA_HOMEPATH"

  pulumi stack select local --non-interactive 2>/dev/null || pulumi stack init local --secrets-provider passphrase --non-interactive
  pulumi up --stack local --yes --non-interactive
  echo "Dashboard: $(pulumi stack output dashboardUrl --stack local)"
}

down() {
  if [ -d .pulumi-state ] && toolchain=$(toolchain/ensure.sh 2>/dev/null); then
    eval "$toolchain"
    running grafana && pulumi destroy --stack local --yes --non-interactive
  fi
  for name in $SERVICES; do stop "$name"; done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: scripts/local.sh up|down" >&2; exit 2 ;;
esac
