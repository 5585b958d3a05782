/**
 * The stack's data and alert paths on real processes (harness/servers.ts): the reference service,
 * the blackbox exporter, Prometheus with the scrape config and rules rendered for the e2e fixture
 * stack (test/fixtures/Pulumi.e2e.yaml), and on request Alertmanagers with the rendered
 * alertmanager.yml. What does not depend on another starts concurrently. Used by the end-to-end
 * tests and the benchmark.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { onPlatform, type Services, type Settings } from "../config/settings";
import { queries } from "../promql/queries";
import { RENDERED, scrapeConfigFile, writeRenderedFiles } from "../render/renderedFiles";
import { prometheusConfig } from "../scrape/model";
import { FIXTURES_DIR, servicesFromStackFile } from "../render/stackSettings";
import { prometheusRetention } from "../slo/retention";
import { pollUntil } from "./poll";
import { type ServerProcess, freePort } from "./processes";
import { PrometheusApi } from "./prometheusApi";
import { fetchWithin, START_TIMEOUT_MS } from "./bounds";
import {
  startAlertmanager, startBlackboxExporter, startPrometheus, startReferenceService, startedTogether, type ReferenceService,
  type HttpServer,
} from "./servers";

/** Alertmanager with the alertmanager.yml rendered for the services into `dir`, on their `alertmanagerPort`. */
function startRenderedAlertmanager(services: Settings[], dir: string) {
  writeRenderedFiles(services, dir);
  return startAlertmanager(path.join(dir, RENDERED.alertmanager), path.join(dir, "data"), onPlatform(services[0], "local").local.alertmanagerPort);
}

export interface AlertmanagerOptions {
  /** Config overrides for this Alertmanager only, e.g. its operational hours. */
  overrides?: Record<string, string>;
  /** Secrets of its settings, e.g. `webhookUrl`: where it notifies. */
  secrets?: Record<string, string>;
}

export interface Alertmanager {
  /** The settings its alertmanager.yml was rendered from. */
  settings: Settings;
  url: string;
  /** The active alerts it holds, notified or muted (API v2). */
  alerts(): Promise<{ labels: Record<string, string> }[]>;
}

/**
 * The rendered prometheus.yml, sending to exactly the given Alertmanagers: each one's target as
 * its own settings render it (and none when there are none, so no stray Alertmanager on the
 * default port gets the test's alerts).
 */
function prometheusFileFor(services: Services, alertmanagers: Settings[], foreign: ForeignConfig = {}): Record<string, unknown> {
  const config = scrapeConfigFile(services);
  delete config.alerting;
  config.scrape_configs = [...(config.scrape_configs as unknown[]), ...(foreign.scrapeConfigs ?? [])];
  if (foreign.ruleGroups) config.rule_files = [...((config.rule_files as string[] | undefined) ?? []), FOREIGN_RULES_FILE];
  const targets = alertmanagers.flatMap((s) => (prometheusConfig(s).alerting as { alertmanagers: unknown[] }).alertmanagers);
  return targets.length ? { ...config, alerting: { alertmanagers: targets } } : config;
}

/** Where other teams' rule groups go, beside prometheus.yml and the stack's rules.yml. */
const FOREIGN_RULES_FILE = "foreign-rules.yml";

/** What other teams have on a Prometheus they share with the stack: their scrape jobs and rule groups. */
export interface ForeignConfig {
  scrapeConfigs?: Record<string, unknown>[];
  ruleGroups?: Record<string, unknown>[];
}

export interface Restartable {
  /** SIGKILL (a crash) by default; SIGTERM for a clean shutdown, as a restart does. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
}

/** A server that `start` brings up again on the same port: the same config, data directory and address. */
function restartable(started: ServerProcess[], first: HttpServer, start: (port: number) => Promise<HttpServer>): Restartable {
  let current = first;
  const port = Number(first.address.split(":")[1]);
  return {
    stop: (signal = "SIGKILL") => current.process.stop(signal),
    async start() {
      current = await start(port);
      started.push(current.process);
    },
  };
}

export interface MonitoringStackOptions {
  /** Alertmanagers to start, each with its own settings; Prometheus sends every alert to each. */
  alertmanagers?: AlertmanagerOptions[];
  /** Config overrides of the whole stack (test/fixtures/Pulumi.e2e.yaml), e.g. a short SLO period. */
  overrides?: Record<string, string>;
  /** Prometheus' --rules.alert.resend-delay (default 1m). */
  resendDelay?: string;
  /** Secrets of the whole stack, e.g. `heartbeatUrl`, which turns the heartbeat rule on. */
  secrets?: Record<string, string>;
  /** A shared Prometheus: other teams' jobs and rules beside the stack's, given the blackbox exporter's address (host:port). */
  foreign?: (blackboxExporter: string) => ForeignConfig;
  /** Names of the services of a stack with `services`, each a reference service of its own (default: the stack's one service). */
  services?: string[];
  /** Without `services`: how many reference services (instances) the one service has (default 1), the connections each accepts, how long SIGTERM drains each (default 0). */
  instances?: { count: number; maxConnections?: number; drainSeconds?: number };
}

export interface MonitoringStack {
  /** The first service's settings; `services` holds every service's. */
  settings: Settings;
  services: Settings[];
  service: ReferenceService;
  /** One per service, in the order of `services`. */
  referenceServices: ReferenceService[];
  prometheus: PrometheusApi;
  alertmanagers: Alertmanager[];
  /** When Prometheus had scraped each job once (ms since epoch): its data starts about then. */
  firstScrapeAt: number;
  /** The same stack's settings with more config overrides (e.g. to query with other metric names). */
  settingsWith(overrides: Record<string, string>): Settings;
  /** Starts a new reference service on the port of the (stopped) one and makes it `service`. */
  restartService(): Promise<ReferenceService>;
  /**
   * Prometheus, each Alertmanager and the blackbox exporter as processes that a fault test stops
   * (killed) and starts again, on the same port with the same data directory.
   */
  faults: Record<"prometheus" | "blackbox" | `alertmanager${number}`, Restartable>;
  /** Stops every process and removes the temporary directory; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts the processes for the e2e fixture stack and waits for Prometheus' first scrape of each job. */
export async function startMonitoringStack(options: MonitoringStackOptions = {}): Promise<MonitoringStack> {
  const dir = mkdtempSync(path.join(tmpdir(), "websocket-monitoring-e2e-"));
  const removeDir = () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  // Also when interrupted: processes.ts kills the servers on exit, this removes their files.
  process.once("exit", removeDir);
  const started: ServerProcess[] = [];
  const stop = async () => {
    for (const p of [...started].reverse()) await p.stop();
    removeDir();
    process.removeListener("exit", removeDir);
  };
  try {
    const names = options.services;
    const instances = options.instances;
    const serviceStarts = names ? names.map(() => startReferenceService()) : Array.from({ length: instances?.count ?? 1 }, () => startReferenceService(0, undefined, instances?.maxConnections, instances?.drainSeconds));
    const [blackbox] = await startedTogether(started, [startBlackboxExporter(), ...serviceStarts]);
    // All started (startedTogether throws otherwise): their processes are in `started`.
    const referenceServices = await Promise.all(serviceStarts);
    const service = referenceServices[0];
    const faults: MonitoringStack["faults"] = { blackbox: restartable(started, blackbox, (port) => startBlackboxExporter(port)) } as MonitoringStack["faults"];

    // The addresses are known only now: set as `npm run render -- --set` would.
    const where = names
      ? { targets: undefined, services: JSON.stringify(names.map((name, i) => ({ name, targets: [referenceServices[i].address] }))) }
      : { targets: JSON.stringify(referenceServices.map((r) => r.address)) };
    const base = { ...options.overrides, ...where, blackboxExporter: blackbox.address };
    const servicesWith = (more: Record<string, string>, secrets: Record<string, string> = {}) =>
      servicesFromStackFile("e2e", { ...base, ...more }, FIXTURES_DIR, { ...options.secrets, ...secrets });
    const settingsWith = (more: Record<string, string>) => servicesWith(more)[0];
    const services = servicesWith({});
    const settings = services[0];
    writeRenderedFiles(services, dir);

    const amServices = await Promise.all(
      (options.alertmanagers ?? []).map(async (am) => servicesWith({ ...am.overrides, alertmanagerPort: String(await freePort()) }, am.secrets)),
    );
    const amSettings = amServices.map((all) => all[0]);
    const amServers = await startedTogether(started, amServices.map((all, i) => startRenderedAlertmanager(all, path.join(dir, `alertmanager-${i}`))));
    amServers.forEach((server, i) => (faults[`alertmanager${i}`] = restartable(started, server, () => startRenderedAlertmanager(amServices[i], path.join(dir, `alertmanager-${i}`)))));
    const alertmanagers: Alertmanager[] = amServers.map((server, i) => {
      const url = `http://${server.address}`;
      const alerts = async () => (await (await fetchWithin(`${url}/api/v2/alerts`)).json()) as { labels: Record<string, string> }[];
      return { settings: amSettings[i], url, alerts };
    });
    const prometheusFile = path.join(dir, RENDERED.scrapeConfig);
    const foreign = options.foreign?.(blackbox.address);
    if (foreign?.ruleGroups) writeFileSync(path.join(path.dirname(prometheusFile), FOREIGN_RULES_FILE), stringify({ groups: foreign.ruleGroups }));
    writeFileSync(prometheusFile, stringify(prometheusFileFor(services, amSettings, foreign)));
    // The retention the stack's own platforms give it: the objectives' windows fit (pint checks that, test/e2e/prometheus.test.ts).
    const prometheusOptions = { resendDelay: options.resendDelay, retention: prometheusRetention(settings.alerts.objectives.period).text };
    const server = await startPrometheus(prometheusFile, path.join(dir, "data"), prometheusOptions);
    started.push(server.process);
    faults.prometheus = restartable(started, server, (port) => startPrometheus(prometheusFile, path.join(dir, "data"), { ...prometheusOptions, port }));
    const prometheus = new PrometheusApi(`http://${server.address}`);

    // Each target's scrape and probes: its health probe and, with upgradeProbe (on where the fixture is local), its upgrade probe.
    const jobs = services.map((s) => [queries(s).scrapeUp, queries(s).healthProbe, queries(s).upgradeProbe].filter((q) => q !== undefined));
    const up = jobs.flatMap((each) => each.map((q) => `${q} == 1`)).join(" or ");
    const scraped = async () => (await prometheus.query(up)).length;
    const targets = services.reduce((n, s, i) => n + jobs[i].length * s.scrape.targets.length, 0);
    await pollUntil("first scrape of each target and its probes", scraped, (n) => n === targets, { timeoutMs: START_TIMEOUT_MS });
    const stack: MonitoringStack = {
      settings,
      services,
      service,
      referenceServices,
      prometheus,
      alertmanagers,
      firstScrapeAt: Date.now(),
      settingsWith,
      faults,
      async restartService() {
        const next = await startReferenceService(Number(new URL(stack.service.url).port));
        started.push(next.process);
        stack.service = next;
        return next;
      },
      stop,
    };
    return stack;
  } catch (err) {
    const logs = started.map((p) => p.output()).join("\n");
    await stop();
    throw new Error(`${(err as Error).message}\n${logs}`);
  }
}
