/**
 * `npm run up` / `npm run down` (scripts/local.sh) as a newcomer meets them: each run in a copy of
 * the project whose Pulumi.local.yaml has free ports, with a PATH that has neither Pulumi nor
 * Grafana, as on a machine without their installers. The local default alerts through Prometheus
 * and Alertmanager, so an outage must end as a notification in the webhook receiver's file, and
 * a dead Prometheus as "heartbeat missing" from the receiver, the local dead man's switch.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, test } from "node:test";
import { parse, stringify } from "yaml";
import { PROJECT_DIR } from "../../config/stackFile";
import { CONFIG_NAMESPACE } from "../../config/validate";
import { ALERT_NAMES } from "../../alerts/definitions";
import { deadlineMs, fetchWithin } from "../../harness/bounds";
import { heartbeatGraceMs } from "../../lib/heartbeatWatch";
import { pollUntil } from "../../harness/poll";
import { freePort, runCommand } from "../../harness/processes";
import { renderCli } from "../support/renderCli";
import { toolPath } from "../support/toolPath";

/** What local.sh and the processes it starts need; not pulumi, not grafana. */
const PATH = toolPath([
  "bash", "basename", "cat", "curl", "dirname", "mkdir", "node", "ps", "readlink", "rm", "seq", "setsid", "sleep", "tail",
  "prometheus", "prometheus-blackbox-exporter", "prometheus-alertmanager",
]);
const copies: string[] = [];

after(async () => {
  for (const dir of copies) {
    await runCommand("bash", [path.join(dir, "scripts", "local.sh"), "down"], { cwd: dir, env: { PATH: PATH.path } });
    rmSync(dir, { recursive: true, force: true });
  }
  PATH.remove();
});

interface LocalCopy {
  dir: string;
  env: NodeJS.ProcessEnv;
  urls: { service: string; blackbox: string; prometheus: string; webhook: string; alertmanager: string };
}

/** A copy of the project (node_modules linked) with free ports and `config` set in Pulumi.local.yaml. */
async function localCopy(config: Record<string, unknown> = {}): Promise<LocalCopy> {
  const dir = mkdtempSync(path.join(tmpdir(), "websocket-monitoring-local-"));
  copies.push(dir);
  const skip = new Set(["node_modules", ".git", ".local", ".pulumi-state", "out", "test"]);
  cpSync(PROJECT_DIR, dir, { recursive: true, filter: (src) => !skip.has(path.relative(PROJECT_DIR, src)) });
  symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"));

  const [service, blackbox, prometheus, grafana, webhook, alertmanager] = await Promise.all(Array.from({ length: 6 }, freePort));
  const stackFile = path.join(dir, "Pulumi.local.yaml");
  const doc = parse(readFileSync(stackFile, "utf8")) as { config: Record<string, unknown> };
  const settings = {
    targets: [`127.0.0.1:${service}`],
    blackboxExporter: `127.0.0.1:${blackbox}`,
    prometheusPort: String(prometheus),
    prometheusUrl: `http://127.0.0.1:${prometheus}`,
    grafanaPort: String(grafana),
    grafanaUrl: `http://127.0.0.1:${grafana}`,
    alertmanagerPort: String(alertmanager),
    ...config,
  };
  for (const [key, value] of Object.entries(settings)) doc.config[`${CONFIG_NAMESPACE}:${key}`] = value;
  writeFileSync(stackFile, stringify(doc));
  return {
    dir,
    env: { PATH: PATH.path, HOME: process.env.HOME, WSMON_WEBHOOK_PORT: String(webhook) },
    urls: {
      service: `http://127.0.0.1:${service}/ws/health`,
      blackbox: `http://127.0.0.1:${blackbox}/metrics`,
      prometheus: `http://127.0.0.1:${prometheus}/-/ready`,
      webhook: `http://127.0.0.1:${webhook}/`,
      alertmanager: `http://127.0.0.1:${alertmanager}/-/ready`,
    },
  };
}

const local = (copy: LocalCopy, ...args: string[]) =>
  runCommand("bash", [path.join(copy.dir, "scripts", "local.sh"), ...args], { cwd: copy.dir, env: copy.env });
const pidFiles = (copy: LocalCopy) => (existsSync(path.join(copy.dir, ".local", "run")) ? readdirSync(path.join(copy.dir, ".local", "run")) : []);
const answers = async (url: string) => fetchWithin(url).then((r) => r.ok, () => false);
/** The JSON lines of a file in the copy's .local/ (none while it does not exist). */
const jsonLines = <T>(copy: LocalCopy, file: string): T[] => {
  const at = path.join(copy.dir, ".local", file);
  return existsSync(at) ? readFileSync(at, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as T) : [];
};

describe("npm run up / npm run down", () => {
  test("anything but 'up' or 'down' alone: usage, exit 2, nothing started", async () => {
    const copy = await localCopy();
    for (const args of [["up", "--stack", "prod"], ["down", "now"], []]) {
      const result = await local(copy, ...args);
      assert.equal(result.code, 2, `local.sh ${args.join(" ")}`);
      assert.match(result.stderr, /expected 'up' or 'down' and nothing else[^]*usage: npm run up \| npm run down/);
    }
    assert.deepEqual(pidFiles(copy), []);
  });

  test("a config typo: the message npm run render prints, no stack trace, nothing started, exit 1", async () => {
    const copy = await localCopy({ scrapeIntervall: "5s" });
    const result = await local(copy, "up");
    assert.equal(result.code, 1);
    const render = await renderCli("--stack", "local", "--stack-dir", copy.dir, "--out", path.join(copy.dir, "out"));
    assert.match(render.stderr, /scrapeIntervall: unknown key\. Did you mean 'scrapeInterval'\?/);
    assert.ok(result.stderr.startsWith(render.stderr), `not render's message:\n${result.stderr}`);
    assert.match(result.stderr, /nothing started: fix Pulumi\.local\.yaml/);
    assert.doesNotMatch(result.stderr, /\n\s+at |node:internal|unbound variable/);
    assert.deepEqual(pidFiles(copy), []);
  });

  test("a port in use: exit 1, what this run started is stopped again, and 'npm run down' is named", async () => {
    const copy = await localCopy();
    // Not a Prometheus: it answers 404, so Prometheus itself must fail to listen on the port.
    const squatter = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((r) => squatter.listen(Number(new URL(copy.urls.prometheus).port), "127.0.0.1", r));
    try {
      const result = await local(copy, "up");
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /prometheus did not become ready[^]*address already in use/);
      assert.match(result.stderr, /stopped blackbox-exporter[^]*stopped service[^]*'npm run down'/);
      assert.deepEqual(pidFiles(copy), []);
      assert.equal(await answers(copy.urls.service), false, "the service still runs");
      assert.equal(await answers(copy.urls.blackbox), false, "the blackbox exporter still runs");
    } finally {
      squatter.close();
    }
  });

  test("without Pulumi and Grafana: the rest runs, exit 0, a summary with URLs and one line per missing tool; down stops it", async () => {
    // The local stack's alert path, shortened (1s steps, which alertEngine prometheus allows) so the outage notifies within seconds.
    const fast = { scrapeInterval: "1s", scrapeTimeout: "1s", alertEvaluationInterval: "1s", serviceDownFor: "1s", groupWait: "1s", groupInterval: "1s" };
    const copy = await localCopy(fast);
    const up = await local(copy, "up");
    assert.equal(up.code, 0, up.stderr);
    for (const url of Object.values(copy.urls)) {
      assert.ok(up.stdout.includes(url), `summary lacks ${url}:\n${up.stdout}`);
      assert.ok(await answers(url), `nothing answers at ${url}`);
    }
    assert.match(up.stdout, /\n  pulumi: not on PATH; install Pulumi: curl -fsSL https:\/\/get\.pulumi\.com \| sh/);
    assert.match(up.stdout, /\n  grafana: not on PATH; install Grafana 11\.0 or later \(12\.1 with alertEngine grafana\): https:\/\/grafana\.com\//);
    // Prometheus keeps the objectives' whole period (30d) and a quarter more, not its default 15d.
    const flags = (await (await fetchWithin(copy.urls.prometheus.replace("/-/ready", "/api/v1/status/flags"))).json()) as { data: Record<string, string> };
    assert.equal(flags.data["storage.tsdb.retention.time"], "37d12h");

    // An outage of the reference service ends as Alertmanager's JSON notification in .local/webhook.jsonl.
    process.kill(-Number(readFileSync(path.join(copy.dir, ".local", "run", "service.pid"), "utf8")), "SIGKILL");
    const notified = (status: string) =>
      jsonLines<{ body: string }>(copy, "webhook.jsonl")
        .map((line) => JSON.parse(line.body) as { alerts: { status: string; labels: Record<string, string> }[] })
        .some((n) => n.alerts.some((a) => a.status === status && a.labels.alertname === ALERT_NAMES.serviceDown && a.labels.environment === "local"));
    await pollUntil("WebSocketServiceDown notified to the local webhook receiver", async () => notified("firing"), (yes) => yes, { timeoutMs: 90_000, intervalMs: 500 });

    const down = await local(copy, "down");
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(pidFiles(copy), []);
    for (const url of Object.values(copy.urls)) assert.equal(await answers(url), false, `${url} still answers`);
  });

  test("the receiver is the dead man's switch: Prometheus killed, 'heartbeat missing' within the bound; 'heartbeat back' once up restarts it", async (t) => {
    // Beats every 2s; Prometheus re-sends every evaluation interval (1s), so Alertmanager lets a silent Prometheus' heartbeat expire after 4s.
    const copy = await localCopy({ scrapeInterval: "1s", scrapeTimeout: "1s", alertEvaluationInterval: "1s", heartbeatInterval: "2s" });
    const [intervalMs, keptMs, graceMs] = [2_000, 4 * 1_000, heartbeatGraceMs(2_000)];
    const up = await local(copy, "up");
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /after 2 x 2s \+ 5s without a beat it writes "heartbeat missing" to \.local\/heartbeat\.jsonl/);
    const beats = () => jsonLines<{ path: string }>(copy, "webhook.jsonl").filter((d) => d.path === "/heartbeat").length;
    const events = () => jsonLines<{ event: string; at: string; lastBeatAt: string }>(copy, "heartbeat.jsonl");
    await pollUntil("the first heartbeats at the local receiver", async () => beats(), (n) => n >= 2, { timeoutMs: deadlineMs(3 * intervalMs) });
    assert.deepEqual(events(), [], "an alarm while the heartbeat arrives");

    const killedAt = Date.now();
    process.kill(-Number(readFileSync(path.join(copy.dir, ".local", "run", "prometheus.pid"), "utf8")), "SIGKILL");
    // The last beat comes at most keptMs (and one interval of the beat's schedule) after the kill, the alarm a grace later.
    const bound = deadlineMs(keptMs + intervalMs + graceMs);
    const [missing] = (await pollUntil("'heartbeat missing' in .local/heartbeat.jsonl after Prometheus was killed", async () => events(), (e) => e.length > 0, { timeoutMs: bound })).value;
    assert.equal(missing.event, "heartbeat missing");
    t.diagnostic(`"heartbeat missing" ${Date.parse(missing.at) - killedAt} ms after the kill, ${Date.parse(missing.at) - Date.parse(missing.lastBeatAt)} ms after the last beat (grace ${graceMs} ms)`);
    assert.ok(Date.parse(missing.at) - Date.parse(missing.lastBeatAt) >= graceMs, "reported before the grace was over");
    assert.match(readFileSync(path.join(copy.dir, ".local", "logs", "webhook-receiver.log"), "utf8"), /heartbeat missing: none since /);

    // `up` starts the dead Prometheus again: the beats resume, and the receiver says so.
    const revived = await local(copy, "up");
    assert.equal(revived.code, 0, revived.stderr);
    assert.match(revived.stderr, /prometheus had stopped \(pid \d+ is gone\): starting it again/);
    const back = await pollUntil("'heartbeat back' after Prometheus was restarted", async () => events().map((e) => e.event), (e) => e.length > 1, { timeoutMs: deadlineMs(3 * intervalMs) });
    assert.deepEqual(back.value, ["heartbeat missing", "heartbeat back"]);
    assert.equal((await local(copy, "down")).code, 0);
  });

  test("up is safe to repeat: a second run changes nothing; a changed threshold reloads Prometheus without a restart; a dead process is started again and named", async () => {
    const copy = await localCopy({ scrapeInterval: "1s", scrapeTimeout: "1s", alertEvaluationInterval: "1s" });
    const first = await local(copy, "up");
    assert.equal(first.code, 0, first.stderr);
    const pids = () => Object.fromEntries(pidFiles(copy).map((f) => [f, readFileSync(path.join(copy.dir, ".local", "run", f), "utf8").trim()]));
    const before = pids();

    const again = await local(copy, "up");
    assert.equal(again.code, 0, again.stderr);
    for (const name of ["service", "blackbox-exporter", "prometheus", "webhook-receiver", "alertmanager"]) assert.match(again.stderr, new RegExp(`${name} already running, unchanged`));
    assert.doesNotMatch(again.stderr, /reloaded/);
    assert.deepEqual(pids(), before, "the second run restarted something");

    // A new threshold in Pulumi.local.yaml: rules.yml is rewritten and the running Prometheus reloads it.
    const stackFile = path.join(copy.dir, "Pulumi.local.yaml");
    const doc = parse(readFileSync(stackFile, "utf8")) as { config: Record<string, unknown> };
    doc.config[`${CONFIG_NAMESPACE}:connectionsMax`] = "321";
    writeFileSync(stackFile, stringify(doc));
    const changed = await local(copy, "up");
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stderr, /prometheus reloaded: rules\.yml changed/);
    assert.deepEqual(pids(), before, "the threshold change restarted something");
    const prometheus = copy.urls.prometheus.replace("/-/ready", "");
    const rules = (await (await fetchWithin(`${prometheus}/api/v1/rules?type=alert`)).json()) as { data: { groups: { rules: { name: string; query: string }[] }[] } };
    const above = rules.data.groups.flatMap((g) => g.rules).find((r) => r.name === ALERT_NAMES.aboveThreshold)!;
    assert.match(above.query, /> 321$/);

    // A process that died is started again, and the run says which.
    process.kill(-Number(before["blackbox-exporter.pid"]), "SIGKILL");
    await pollUntil("blackbox exporter gone", () => answers(copy.urls.blackbox), (up) => !up, { timeoutMs: 10_000 });
    const revived = await local(copy, "up");
    assert.equal(revived.code, 0, revived.stderr);
    assert.match(revived.stderr, /blackbox-exporter had stopped \(pid \d+ is gone\): starting it again/);
    assert.ok(await answers(copy.urls.blackbox));
    assert.equal((await local(copy, "down")).code, 0);
  });
});
