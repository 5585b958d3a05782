#!/usr/bin/env bash
# Prepares a stack for `pulumi preview|up|destroy` in a workflow (.github/workflows/pulumi.yml):
# logs in to the backend (PULUMI_BACKEND_URL, or Pulumi Cloud with PULUMI_ACCESS_TOKEN), selects
# the stack (creating it the first time) and sets its secret config from environment variables
# with `pulumi config set --secret`, each value on stdin: never in argv, never in the log (and no
# `set -x` in this script). Writes KUBECONFIG_CONTENT, if given, to a file named in $GITHUB_ENV.
# Usage: scripts/ci/prepare-stack.sh <stack>
set -euo pipefail

stack="${1:?usage: prepare-stack.sh <stack>}"

# The secret config keys of each stack (see the header of its Pulumi.<stack>.yaml) and the
# environment variable each comes from. A key missing here is simply not set, so a stack never
# gets a receiver (say, dev a Slack webhook) that it does not configure. heartbeatUrl replaces the
# placeholder committed in the stack's file, which decrypts nowhere.
case "$stack" in
  dev) secrets="grafanaAuth=GRAFANA_AUTH webhookUrl=ALERT_WEBHOOK_URL" ;;
  staging) secrets="grafanaAuth=GRAFANA_AUTH slackWebhookUrl=SLACK_WEBHOOK_URL heartbeatUrl=HEARTBEAT_URL" ;;
  prod) secrets="grafanaAuth=GRAFANA_AUTH slackWebhookUrl=SLACK_WEBHOOK_URL webhookUrl=ALERT_WEBHOOK_URL heartbeatUrl=HEARTBEAT_URL" ;;
  *) echo "prepare-stack: no secrets listed for stack '$stack': add it to $0" >&2; exit 2 ;;
esac

if [ -z "${PULUMI_BACKEND_URL:-}" ] && [ -z "${PULUMI_ACCESS_TOKEN:-}" ]; then
  echo "prepare-stack: set the PULUMI_ACCESS_TOKEN secret (Pulumi Cloud), or the PULUMI_BACKEND_URL variable and the PULUMI_CONFIG_PASSPHRASE secret" >&2
  exit 2
fi

# GitHub masks each secret as a whole; a part printed on its own is not masked, so register the
# password of a user:password Grafana credential too.
if [[ "${GRAFANA_AUTH:-}" == *:* ]]; then
  echo "::add-mask::${GRAFANA_AUTH#*:}"
fi

pulumi login
pulumi stack select --create "$stack"

for pair in $secrets; do
  key="${pair%%=*}" var="${pair#*=}"
  if [ -z "${!var:-}" ]; then
    echo "prepare-stack: secret $var (config key $key of stack $stack) is not set" >&2
    exit 2
  fi
  printf '%s' "${!var}" | pulumi config set --stack "$stack" --secret "$key"
  echo "prepare-stack: set $key (secret) from $var"
done

if [ -n "${KUBECONFIG_CONTENT:-}" ]; then
  kubeconfig="${RUNNER_TEMP:?}/kubeconfig"
  (umask 077 && printf '%s\n' "$KUBECONFIG_CONTENT" >"$kubeconfig")
  echo "KUBECONFIG=$kubeconfig" >>"${GITHUB_ENV:?}"
fi
