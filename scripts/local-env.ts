/**
 * For scripts/local.sh: prints the local stack's addresses as shell assignments and writes the
 * files the stack itself would write (same functions, same YAML): prometheus.yml and, with
 * alertEngine prometheus, rules.yml (rewritten when Pulumi.local.yaml changed them; local.sh then
 * reloads a running Prometheus) and alertmanager.yml (only where missing: it holds secrets). So
 * Prometheus and Alertmanager can start before the first `pulumi up` (or without Pulumi at all),
 * and that `up` finds nothing to change.
 * Alertmanager notifies the webhook receiver local.sh starts (`--webhook-port`), the URLs the
 * committed webhookUrl and heartbeatUrl secrets hold (`/alerts`, `/heartbeat`). Invalid config: the message `npm run render` prints, on
 * stderr, and exit 1 (nothing printed for the shell): both read and validate the stack file with settingsFromStackFile, and
 * the receiver's URLs stand in only for encrypted values, never for a plain-text one (which both refuse).
 * `--stack-dir` (for the tests): where Pulumi.local.yaml is, as render's option.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { alertmanagerYaml } from "../alerts/alertmanager";
import { prometheusRulesYaml } from "../alerts/prometheus";
import { onPlatform, type LocalStack } from "../config/settings";
import { RULES_FILE, prometheusYaml } from "../scrape/model";
import { settingsFromStackFile } from "../render/stackSettings";
import { prometheusRetention } from "../slo/retention";

const { values: args } = parseArgs({ options: { "webhook-port": { type: "string" }, "stack-dir": { type: "string" } } });
let s: LocalStack;
try {
  const receiver = `http://127.0.0.1:${args["webhook-port"]}`;
  s = onPlatform(settingsFromStackFile("local", {}, args["stack-dir"], { webhookUrl: `${receiver}/alerts`, heartbeatUrl: `${receiver}/heartbeat` }), "local");
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const local = s.local;

/** Written only where missing: the file holds secrets, and once `pulumi up` ran, it is the stack's. */
function writeMissing(file: string, content: string): void {
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** Written where missing or different (no secret in it: what `pulumi up` would write too); whether it changed. */
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
  writeChanged(prometheusConfig, prometheusYaml(s)) && "prometheus.yml",
  prometheusAlerts && writeChanged(path.join(path.dirname(prometheusConfig), RULES_FILE), prometheusRulesYaml(s)) && RULES_FILE,
].filter(Boolean);
if (prometheusAlerts) writeMissing(alertmanagerConfig, alertmanagerYaml(s));

const [serviceHost, servicePort] = s.scrape.targets[0].split(":");
const heartbeat = s.notifications.heartbeat;
// The provider plugin the Grafana package needs: what `pulumi up` loads.
const plugin = (require("@pulumiverse/grafana/package.json") as { pulumi: { version: string; server: string } }).pulumi;
const vars = {
  SERVICE_HOST: serviceHost,
  SERVICE_PORT: servicePort,
  BLACKBOX_ADDRESS: s.scrape.blackboxExporter,
  PROMETHEUS_PORT: String(local.prometheusPort),
  PROMETHEUS_CONFIG: prometheusConfig,
  // Empty: Grafana evaluates the alerts, no Alertmanager runs.
  ALERTMANAGER_PORT: prometheusAlerts ? String(local.alertmanagerPort) : "",
  ALERTMANAGER_CONFIG: alertmanagerConfig,
  GRAFANA_PORT: String(local.grafanaPort),
  // The Prometheus files this run rewrote (the config changed): a running Prometheus is reloaded.
  PROMETHEUS_CHANGED: changed.join(" "),
  // Empty without a heartbeat: where, and how often, the dead man's switch is sent.
  HEARTBEAT: heartbeat ? `every ${heartbeat.interval.text} to ${heartbeat.url.reveal()}` : "",
  // The receiver's side of the switch: the path it is sent to and how often it must arrive.
  HEARTBEAT_PATH: heartbeat ? new URL(heartbeat.url.reveal()).pathname : "",
  HEARTBEAT_INTERVAL: heartbeat?.interval.text ?? "",
  // Prometheus re-sends firing alerts this often; Alertmanager keeps an alert 4 x max(this,
  // evaluation interval) after the last send. At the evaluation interval (not Prometheus' 1m
  // default) a dead Prometheus stops the heartbeat after 4 evaluation intervals, not 4 minutes.
  RESEND_DELAY: s.alerts.evaluationInterval.text,
  // Data for a whole sloPeriod (the objectives' panels read it), not Prometheus' default 15d.
  PROMETHEUS_RETENTION: prometheusRetention(s.alerts.objectives.period).text,
  GRAFANA_PLUGIN_VERSION: plugin.version,
  GRAFANA_PLUGIN_SERVER: plugin.server,
};
for (const [k, v] of Object.entries(vars)) console.log(`${k}='${v}'`);
