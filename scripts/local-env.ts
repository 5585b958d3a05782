/**
 * For scripts/local.sh: prints the local stack's addresses and flags as shell assignments (with
 * the Grafana half's command or missing tools, scripts/grafanaHalf.ts) and
 * writes the files the stack itself would write (same functions, same YAML): prometheus.yml and,
 * with alertEngine prometheus, rules.yml and alertmanager.yml, each rewritten when Pulumi.local.yaml
 * changed it (local.sh then reloads a running Prometheus or Alertmanager and says which). So
 * Prometheus and Alertmanager can start before the first `pulumi up` (or without Pulumi at all),
 * and that `up` finds nothing to change. One exception: alertmanager.yml with a receiver secret
 * this script cannot know (a Slack URL, an SMTP password: render's placeholders) is written only
 * where it holds no placeholder, since `pulumi up` wrote it with the real secrets; ALERTMANAGER_KEPT
 * says so.
 * Alertmanager notifies the webhook receiver local.sh starts (`--webhook-port`), the URLs the
 * committed webhookUrl and heartbeatUrl secrets hold (`/alerts`, `/heartbeat`). Invalid config:
 * the message `npm run render` prints, on stderr, and exit 1 (nothing printed for the shell): both
 * read and validate the stack file with settingsFromStackFile, and the receiver's URLs stand in
 * only for encrypted values, never for a plain-text one (which both refuse). `--stack-dir` (for
 * the tests): where Pulumi.local.yaml is, as render's option.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { alertmanagerYaml, prometheusResendDelay } from "../alerts/alertmanager";
import { prometheusRulesYaml } from "../alerts/prometheus";
import { onPlatform, type LocalStack } from "../config/settings";
import { RULES_FILE, prometheusYaml } from "../scrape/model";
import { servicesFromStackFile } from "../render/stackSettings";
import { layerSummary } from "../alerts/layer";
import { prometheusRetention } from "../slo/retention";
import { problemList } from "../config/validate";
import { findGrafanaHalf } from "./grafanaHalf";
import { localProcesses, maxConnections, staleProcesses } from "./localServices";

/** Where render's stand-in secrets point (config/stackFile.ts). */
const PLACEHOLDER_HOST = "placeholder.invalid";
/** local.sh's pid files, one per process it started. */
const RUN_DIR = path.resolve(".local/run");
/** The WebSocket clients the local stack keeps connected (scripts/demo-clients.ts). */
const DEMO_CLIENTS = 3;

const { values: args } = parseArgs({ options: { "webhook-port": { type: "string" }, "stack-dir": { type: "string" } } });
// Every service's jobs and rules go into the files; a reference service runs on each target.
let services: LocalStack[];
try {
  const receiver = `http://127.0.0.1:${args["webhook-port"]}`;
  services = servicesFromStackFile("local", {}, args["stack-dir"], { webhookUrl: `${receiver}/alerts`, heartbeatUrl: `${receiver}/heartbeat` }).map((x) => onPlatform(x, "local"));
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const s = services[0];
const local = s.local;
const processes = localProcesses(services);
const limit = maxConnections(process.env.WSMON_MAX_CONNECTIONS);
const problems = [...processes.problems, ...(limit.problem ? [limit.problem] : [])];
if (problems.length) {
  console.error(problemList("Cannot start the local stack", problems));
  process.exit(1);
}

/** Written where missing or different (what `pulumi up` would write too); whether it changed. */
function writeChanged(file: string, content: string): boolean {
  if (existsSync(file) && readFileSync(file, "utf8") === content) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return true;
}

const prometheusConfig = path.resolve(local.prometheusConfigFile);
const alertmanagerConfig = path.resolve(local.alertmanagerConfigFile);
const prometheusAlerts = s.alerts.engine === "prometheus";
// Both Prometheus files first, so that a reload never sees one without the other.
const changed = [
  writeChanged(prometheusConfig, prometheusYaml(services)) && "prometheus.yml",
  prometheusAlerts && writeChanged(path.join(path.dirname(prometheusConfig), RULES_FILE), prometheusRulesYaml(services)) && RULES_FILE,
].filter(Boolean);
// A receiver secret only `pulumi up` knows: a placeholder must not replace the file it wrote.
const alertmanagerFile = prometheusAlerts ? alertmanagerYaml(services) : "";
const writtenByPulumi = (file: string) => existsSync(file) && !readFileSync(file, "utf8").includes(PLACEHOLDER_HOST);
const alertmanagerKept = prometheusAlerts && alertmanagerFile.includes(PLACEHOLDER_HOST) && writtenByPulumi(alertmanagerConfig);
const alertmanagerChanged = prometheusAlerts && !alertmanagerKept && writeChanged(alertmanagerConfig, alertmanagerFile);

const heartbeat = s.notifications.heartbeat;
const grafanaHalf = findGrafanaHalf();
const blackboxConfig = path.join(__dirname, "..", "prometheus", "blackbox.yml");
const vars = {
  // Empty: the reference service's default limit.
  MAX_CONNECTIONS: limit.value,
  BLACKBOX_ADDRESS: s.scrape.blackboxExporter,
  PROMETHEUS_PORT: String(local.prometheusPort),
  PROMETHEUS_CONFIG: prometheusConfig,
  // Empty: Grafana evaluates the alerts, no Alertmanager runs.
  ALERTMANAGER_PORT: prometheusAlerts ? String(local.alertmanagerPort) : "",
  ALERTMANAGER_CONFIG: alertmanagerConfig,
  GRAFANA_PORT: String(local.grafanaPort),
  // The files this run rewrote (the config changed): a running Prometheus or Alertmanager is reloaded.
  PROMETHEUS_CHANGED: changed.join(" "),
  ALERTMANAGER_CHANGED: alertmanagerChanged ? path.basename(alertmanagerConfig) : "",
  ALERTMANAGER_KEPT: alertmanagerKept ? "1" : "",
  // The blackbox exporter reads its modules only at start: a changed file restarts it.
  BLACKBOX_CONFIG: blackboxConfig,
  BLACKBOX_CONFIG_DIGEST: createHash("sha256").update(readFileSync(blackboxConfig)).digest("hex").slice(0, 12),
  DEMO_CLIENTS: String(DEMO_CLIENTS),
  // Prometheus re-sends firing alerts this often; Alertmanager keeps an alert 4 x max(this,
  // evaluation interval) after the last send. Below the evaluation interval (not Prometheus' 1m
  // default): every firing alert is sent at every evaluation, so a dead Prometheus stops the
  // heartbeat after 4 evaluation intervals, not 4 minutes, and no held-back alert outlives its inhibitor.
  RESEND_DELAY: prometheusResendDelay(s).text,
  // Data for a whole sloPeriod (the objectives' panels read it), not Prometheus' default 15d.
  PROMETHEUS_RETENTION: prometheusRetention(s.alerts.objectives.period).text,
};
// The summary's lines after the processes: the alert path, the demo, the heartbeat.
const demoBound = s.scrape.interval.seconds + s.alerts.evaluationInterval.seconds + s.alerts.serviceDownFor.seconds + s.notifications.groupWait.seconds;
const notes = [
  ...(prometheusAlerts
    ? [
        "Alerts: Prometheus evaluates the rules, Alertmanager notifies the webhook receiver, which appends each notification to .local/webhook.jsonl,",
        `  one JSON object a line (receivedAt, path, payload): jq -c '.payload.alerts[]? | [.status, .labels.alertname]' .local/webhook.jsonl`,
      ]
    : []),
  ...(s.service.listed
    ? [
        `Demo: each service has a reference service on each of its targets and ${DEMO_CLIENTS} demo clients, so no idle service raises an alert: ` +
          processes.clients.map((c) => `${c.service} (${processes.references.filter((r) => r.service === c.service).map((r) => r.name).join(", ")}, ${c.name})`).join(", ") + ".",
        `  Stop one: kill $(cat .local/run/${processes.references[0].name}.pid)`,
      ]
    : [`Demo: demo-clients keeps ${DEMO_CLIENTS} WebSocket clients connected, so an idle service raises no alert. Stop the service: kill $(cat .local/run/service.pid)`]),
  ...(prometheusAlerts ? [`  and within about ${demoBound} s WebSocketServiceDown reaches .local/webhook.jsonl; 'npm run up' starts the service again.`] : []),
  ...services.map(layerSummary),
  ...(heartbeat
    ? [
        `Heartbeat (dead man's switch, WebSocketMonitoringHeartbeat): every ${heartbeat.interval.text} to ${heartbeat.url.reveal()}; it stops arriving when the alert path is down.`,
        `  The webhook receiver watches it: after 2 x ${heartbeat.interval.text} + 5s without a beat it writes "heartbeat missing" to .local/heartbeat.jsonl and .local/logs/webhook-receiver.log ("heartbeat back" when beats resume): tail -f .local/heartbeat.jsonl`,
      ]
    : []),
];
// Arrays: the Grafana server command (empty when a tool is missing), one line per missing tool, the notes.
// The reference services and demo clients as `name|host|port` and `name|url`, which local.sh splits.
const arrays = {
  GRAFANA_CMD: grafanaHalf.command,
  MISSING: grafanaHalf.missing,
  NOTES: notes,
  REFERENCES: processes.references.map((r) => `${r.name}|${r.host}|${r.port}`),
  CLIENTS: processes.clients.map((c) => `${c.name}|${c.url}`),
  // Stopped first: the services of an earlier Pulumi.local.yaml would hold their ports.
  STALE: staleProcesses(existsSync(RUN_DIR) ? readdirSync(RUN_DIR).filter((f) => f.endsWith(".pid")).map((f) => f.slice(0, -4)) : [], processes),
  // The receiver's side of the switch: the path the heartbeat is sent to, how often it must arrive, where it says so.
  HEARTBEAT_ARGS: heartbeat
    ? [`--heartbeat-path=${new URL(heartbeat.url.reveal()).pathname}`, `--heartbeat-interval=${heartbeat.interval.text}`, `--heartbeat-out=${path.resolve(".local/heartbeat.jsonl")}`]
    : [],
};
const quoted = (v: string) => `'${v.replaceAll("'", `'\\''`)}'`;
for (const [k, v] of Object.entries(vars)) console.log(`${k}=${quoted(v)}`);
for (const [k, v] of Object.entries(arrays)) console.log(`${k}=(${v.map(quoted).join(" ")})`);
