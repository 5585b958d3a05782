/**
 * Notification templates run as Alertmanager and Grafana run them: test/support/gotemplate/ (Go,
 * Alertmanager's template package) built once into ~/.cache/websocket-monitoring/ by its build.sh,
 * which says what it does on stderr; and sample notification data in both engines' shapes.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as path from "node:path";
import { PROJECT_DIR } from "../../config/stackFile";

export type Engine = "alertmanager" | "grafana";

export interface RenderCase {
  name: string;
  engine: Engine;
  /** html: Alertmanager's e-mail body (html/template); text: every other field. */
  mode: "text" | "html";
  template: string;
  data: unknown;
}

export interface RenderRun {
  status: number | null;
  /** Per case its output or its error; cases of a Grafana group that does not parse are missing. */
  results: { name: string; output?: string; error?: string }[];
  stderr: string;
}

let binary: string | undefined;

/** The render-templates binary, built first if the cache lacks it (Go from PATH, modules from the Go proxy). */
function renderTemplatesBinary(): string {
  const build = path.join(PROJECT_DIR, "test/support/gotemplate/build.sh");
  binary ??= execFileSync("bash", [build], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 600_000 }).trim();
  return binary;
}

/** Parses Grafana's template group (`definitions`), then each case's template, and executes it on its data. */
export function renderTemplates(definitions: string, cases: RenderCase[]): RenderRun {
  const run = spawnSync(renderTemplatesBinary(), [], { input: JSON.stringify({ definitions, cases }), encoding: "utf8", timeout: 60_000 });
  if (run.error) throw run.error;
  return { status: run.status, results: run.stdout ? (JSON.parse(run.stdout) as RenderRun["results"]) : [], stderr: run.stderr };
}

export interface SampleAlert {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date;
  /** Resolved alerts only. */
  endsAt?: Date;
}

/** One notification of `alerts` (all of one alertname), as Alertmanager's or Grafana's templates see it. */
export function notificationData(engine: Engine, alerts: SampleAlert[]): unknown {
  const common = (pick: (a: SampleAlert) => Record<string, string>) =>
    Object.fromEntries(Object.entries(pick(alerts[0])).filter(([k, v]) => alerts.every((a) => pick(a)[k] === v)));
  const never = engine === "grafana" ? "0001-01-01T00:00:00Z" : new Date(Date.now() + 3_600_000).toISOString();
  return {
    receiver: "websocket-test-critical",
    status: alerts.some((a) => a.status === "firing") ? "firing" : "resolved",
    alerts: alerts.map((a, i) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt?.toISOString() ?? never,
      generatorURL: "http://prometheus.example.com/graph",
      fingerprint: `f${i}`,
      // Grafana's own links and values; Alertmanager's data has none of these (JSON ignores them there).
      ...(engine === "grafana" && { silenceURL: "http://grafana.example.com/alerting/silence/new", dashboardURL: "", panelURL: "", values: { B: 3 }, valueString: "[ var='B' value=3 ]" }),
    })),
    groupLabels: { alertname: alerts[0].labels.alertname },
    commonLabels: common((a) => a.labels),
    commonAnnotations: common((a) => a.annotations),
    externalURL: engine === "grafana" ? "http://grafana.example.com/" : "http://alertmanager.example.com",
  };
}
