/**
 * `npm run up` / `npm run down` (scripts/local.sh) as a newcomer meets them, each run in a copy of
 * the project (test/support/localCopy.ts): bad arguments, a config typo, a port in use, and the
 * demo of README's Quick start. The local default alerts through Prometheus and Alertmanager, and
 * demo clients keep the service busy: the alert path stays quiet at idle, and killing the service
 * must end as a notification in the webhook receiver's file. Running `up` again, a changed stack
 * file and the dead man's switch: localRepeat.test.ts.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import * as path from "node:path";
import { after, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { stretched } from "../../harness/bounds";
import { pollUntil } from "../../harness/poll";
import { renderCli } from "../support/renderCli";
import { answers, getJson, jsonLines, kill, local, localCopy, localFile, pidFiles, removeCopies, type WebhookLine } from "../support/localCopy";

after(removeCopies);

describe("npm run up / npm run down", () => {
  test("anything but 'up' or 'down' alone: usage, exit 2, nothing started; --help, also after up or down: usage, exit 0; down with nothing running says so", async () => {
    const copy = await localCopy();
    for (const args of [["up", "--stack", "prod"], ["down", "now"], []]) {
      const result = await local(copy, ...args);
      assert.equal(result.code, 2, `local.sh ${args.join(" ")}`);
      assert.match(result.stderr, /expected 'up' or 'down' and nothing else[^]*usage: npm run up \| npm run down/);
    }
    // `npm run up -- --help` hands the script `up --help`.
    for (const args of [["--help"], ["up", "--help"], ["down", "-h"]]) {
      const help = await local(copy, ...args);
      assert.equal(help.code, 0, `local.sh ${args.join(" ")}: ${help.summary}`);
      assert.match(help.stdout, /^usage: npm run up \| npm run down/);
    }
    const down = await local(copy, "down");
    assert.equal(down.code, 0, down.summary);
    assert.match(down.stdout, /^nothing was running/);
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
      assert.match(result.stderr, /stopped blackbox-exporter[^]*stopped demo-clients[^]*stopped service[^]*'npm run down'/);
      assert.deepEqual(pidFiles(copy), []);
      assert.equal(await answers(copy.urls.service), false, "the service still runs");
      assert.equal(await answers(copy.urls.blackbox), false, "the blackbox exporter still runs");
    } finally {
      squatter.close();
    }
  });

  test("the demo without Pulumi and Grafana: a summary with URLs and missing tools; quiet at idle; a killed service notified; up brings it back; down stops it", async () => {
    // The local stack's alert path, shortened (1s steps, which alertEngine prometheus allows) so the outage notifies within seconds.
    const fast = { scrapeInterval: "1s", scrapeTimeout: "1s", alertEvaluationInterval: "1s", serviceDownFor: "1s", groupWait: "1s", groupInterval: "1s" };
    const copy = await localCopy(fast);
    const up = await local(copy, "up");
    assert.equal(up.code, 0, up.stderr);
    for (const url of Object.values(copy.urls)) {
      assert.ok(up.stdout.includes(url), `summary lacks ${url}:\n${up.stdout}`);
      assert.ok(await answers(url), `nothing answers at ${url}`);
    }
    assert.match(up.stdout, /\n  demo-clients +3 clients connected to ws:\/\/127\.0\.0\.1:\d+\/ws\n/);
    assert.match(up.stdout, /\nDemo: demo-clients keeps 3 WebSocket clients connected[^]*within about 4 s WebSocketServiceDown reaches \.local\/webhook\.jsonl; 'npm run up' starts the service again/);
    assert.match(up.stdout, /\n  pulumi: not on PATH; install Pulumi: curl -fsSL https:\/\/get\.pulumi\.com \| sh/);
    assert.match(up.stdout, /\n  grafana: not on PATH; install Grafana 11\.0 or later \(12\.1 with alertEngine grafana\): https:\/\/grafana\.com\//);
    const prometheus = copy.urls.prometheus.replace("/-/ready", "");
    // Prometheus keeps the objectives' whole period (30d) and a quarter more, not its default 15d.
    const flags = await getJson<{ data: Record<string, string> }>(`${prometheus}/api/v1/status/flags`);
    assert.equal(flags.data["storage.tsdb.retention.time"], "37d12h");

    // At idle the dashboard shows the demo clients, and WebSocketNoActiveConnections (critical, 24/7 here) is not even pending.
    const connections = async () => (await getJson<{ data: { result: { value: [number, string] }[] } }>(`${prometheus}/api/v1/query?query=sum(websocket_active_connections)`)).data.result[0]?.value[1];
    await pollUntil("Prometheus sees the 3 demo clients", connections, (n) => n === "3", { timeoutMs: stretched(20_000), intervalMs: 250 });
    const seenAt = Date.now() / 1000;
    type Rules = { data: { groups: { rules: { name: string; state: string; lastEvaluation: string }[] }[] } };
    const idleRule = async () => (await getJson<Rules>(`${prometheus}/api/v1/rules?type=alert`)).data.groups.flatMap((g) => g.rules).find((r) => r.name === ALERT_NAMES.noActiveConnections)!;
    const evaluated = await pollUntil("WebSocketNoActiveConnections evaluated after the clients were seen", idleRule, (r) => Date.parse(r.lastEvaluation) / 1000 > seenAt + 1, { timeoutMs: stretched(20_000), intervalMs: 250 });
    assert.equal(evaluated.value.state, "inactive");

    // An outage of the reference service ends as Alertmanager's JSON notification in .local/webhook.jsonl, a JSON object a line.
    kill(copy, "service");
    const notified = () => jsonLines<WebhookLine>(copy, "webhook.jsonl").filter((l) => l.path === "/alerts").flatMap((l) => l.payload.alerts);
    const serviceDown = (a: { status: string; labels: Record<string, string> }) => a.status === "firing" && a.labels.alertname === ALERT_NAMES.serviceDown && a.labels.environment === "local";
    await pollUntil("WebSocketServiceDown notified to the local webhook receiver", async () => notified().some(serviceDown), (yes) => yes, { timeoutMs: 90_000, intervalMs: 500 });
    assert.deepEqual([...new Set(notified().map((a) => a.labels.alertname))], [ALERT_NAMES.serviceDown], "the demo's first alert is the one the user caused");

    // `npm run up` brings the service back (its earlier log kept), and the demo clients reconnect.
    const back = await local(copy, "up");
    assert.equal(back.code, 0, back.stderr);
    assert.match(back.stderr, /service had stopped \(pid \d+ is gone\): starting it again/);
    assert.match(back.stderr, /demo-clients already running, unchanged/);
    assert.match(localFile(copy, "logs/service.log.1"), /^listening on /);
    const health = () => getJson<{ connections: number }>(copy.urls.service);
    await pollUntil("the demo clients reconnected to the restarted service", health, (h) => h.connections === 3, { timeoutMs: stretched(15_000), intervalMs: 250 });
    assert.match(localFile(copy, "logs/demo-clients.log"), /0 of 3 connected[^]*\n.*3 clients connected to/);

    const down = await local(copy, "down");
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(pidFiles(copy), []);
    for (const url of Object.values(copy.urls)) assert.equal(await answers(url), false, `${url} still answers`);
  });
});
