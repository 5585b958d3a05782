/**
 * `npm run up` run again on a copy of the project (test/support/localCopy.ts): what runs stays; a
 * changed Pulumi.local.yaml reaches every process on the next run (files rewritten and reloaded,
 * changed flags restart their process, each named); a dead process is started again. And the
 * webhook receiver as the local dead man's switch: a killed Prometheus reported "heartbeat
 * missing", then "heartbeat back" once `up` has started it again.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { deadlineMs } from "../../harness/bounds";
import { heartbeatGraceMs } from "../../lib/heartbeatWatch";
import { pollUntil } from "../../harness/poll";
import { freePort } from "../../harness/processes";
import { answers, getJson, jsonLines, kill, local, localCopy, localFile, pids, removeCopies, setConfig, type WebhookLine } from "../support/localCopy";

after(removeCopies);

describe("npm run up, again", () => {
  test("the receiver is the dead man's switch: Prometheus killed, 'heartbeat missing' within the bound; 'heartbeat back' once up restarts it", async (t) => {
    // Beats every 2s; Prometheus re-sends every evaluation interval (1s), so Alertmanager lets a silent Prometheus' heartbeat expire after 4s.
    const copy = await localCopy({ scrapeInterval: "1s", scrapeTimeout: "1s", alertEvaluationInterval: "1s", heartbeatInterval: "2s" });
    const [intervalMs, keptMs, graceMs] = [2_000, 4 * 1_000, heartbeatGraceMs(2_000)];
    const up = await local(copy, "up");
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /after 2 x 2s \+ 5s without a beat it writes "heartbeat missing" to \.local\/heartbeat\.jsonl/);
    const beats = () => jsonLines<WebhookLine>(copy, "webhook.jsonl").filter((d) => d.path === "/heartbeat" && d.payload.alerts[0].labels.alertname === ALERT_NAMES.heartbeat).length;
    const events = () => jsonLines<{ event: string; at: string; lastBeatAt: string }>(copy, "heartbeat.jsonl");
    await pollUntil("the first heartbeats at the local receiver", async () => beats(), (n) => n >= 2, { timeoutMs: deadlineMs(3 * intervalMs) });
    assert.deepEqual(events(), [], "an alarm while the heartbeat arrives");

    const killedAt = Date.now();
    kill(copy, "prometheus");
    // The last beat comes at most keptMs (and one interval of the beat's schedule) after the kill, the alarm a grace later.
    const bound = deadlineMs(keptMs + intervalMs + graceMs);
    const [missing] = (await pollUntil("'heartbeat missing' in .local/heartbeat.jsonl after Prometheus was killed", async () => events(), (e) => e.length > 0, { timeoutMs: bound })).value;
    assert.equal(missing.event, "heartbeat missing");
    t.diagnostic(`"heartbeat missing" ${Date.parse(missing.at) - killedAt} ms after the kill, ${Date.parse(missing.at) - Date.parse(missing.lastBeatAt)} ms after the last beat (grace ${graceMs} ms)`);
    assert.ok(Date.parse(missing.at) - Date.parse(missing.lastBeatAt) >= graceMs, "reported before the grace was over");
    assert.match(localFile(copy, "logs/webhook-receiver.log"), /heartbeat missing: none since /);

    // `up` starts the dead Prometheus again: the beats resume, and the receiver says so.
    const revived = await local(copy, "up");
    assert.equal(revived.code, 0, revived.stderr);
    assert.match(revived.stderr, /prometheus had stopped \(pid \d+ is gone\): starting it again/);
    const back = await pollUntil("'heartbeat back' after Prometheus was restarted", async () => events().map((e) => e.event), (e) => e.length > 1, { timeoutMs: deadlineMs(3 * intervalMs) });
    assert.deepEqual(back.value, ["heartbeat missing", "heartbeat back"]);
    assert.equal((await local(copy, "down")).code, 0);
  });

  test("safe to repeat: nothing changed, nothing restarted; a changed stack file reaches every process (reload or restart, named); a dead process is started again", async () => {
    const copy = await localCopy({ scrapeInterval: "1s", scrapeTimeout: "1s", alertEvaluationInterval: "1s" });
    const first = await local(copy, "up");
    assert.equal(first.code, 0, first.stderr);
    const before = pids(copy);

    const again = await local(copy, "up");
    assert.equal(again.code, 0, again.stderr);
    for (const name of ["service", "demo-clients", "blackbox-exporter", "prometheus", "webhook-receiver", "alertmanager"]) assert.match(again.stderr, new RegExp(`${name} already running, unchanged`));
    assert.doesNotMatch(again.stderr, /reloaded|restarting/);
    assert.deepEqual(pids(copy), before, "the second run restarted something");

    // A new threshold: rules.yml is rewritten and the running Prometheus reloads it.
    setConfig(copy.dir, { connectionsMax: "321" });
    const threshold = await local(copy, "up");
    assert.equal(threshold.code, 0, threshold.stderr);
    assert.match(threshold.stderr, /prometheus reloaded: rules\.yml changed/);
    assert.deepEqual(pids(copy), before, "the threshold change restarted something");
    const prometheus = copy.urls.prometheus.replace("/-/ready", "");
    type Rules = { data: { groups: { rules: { name: string; query: string }[] }[] } };
    const above = (await getJson<Rules>(`${prometheus}/api/v1/rules?type=alert`)).data.groups.flatMap((g) => g.rules).find((r) => r.name === ALERT_NAMES.aboveThreshold)!;
    assert.match(above.query, /> 321$/);

    // Alertmanager's grouping, the heartbeat's interval, the objectives' period (Prometheus' retention flag), the exporter's address.
    const blackboxPort = await freePort();
    setConfig(copy.dir, { groupWait: "10s", heartbeatInterval: "30s", sloPeriod: "12h", blackboxExporter: `127.0.0.1:${blackboxPort}` });
    const changed = await local(copy, "up");
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stderr, /alertmanager reloaded: alertmanager\.yml changed/);
    assert.match(changed.stderr, /webhook-receiver restarting, to take its new flags: --heartbeat-interval=30s\n/);
    assert.match(changed.stderr, /prometheus restarting, to take its new flags: --storage\.tsdb\.retention\.time=15h\n/);
    assert.match(changed.stderr, new RegExp(`blackbox-exporter restarting, to take its new flags: --web\\.listen-address=127\\.0\\.0\\.1:${blackboxPort}\\n`));
    for (const name of ["service", "demo-clients", "alertmanager"]) assert.equal(pids(copy)[`${name}.pid`], before[`${name}.pid`], `${name} was restarted`);
    const alertmanager = await getJson<{ config: { original: string } }>(copy.urls.alertmanager.replace("/-/ready", "/api/v2/status"));
    assert.match(alertmanager.config.original, /group_wait: 10s/);
    const flags = await getJson<{ data: Record<string, string> }>(`${prometheus}/api/v1/status/flags`);
    assert.equal(flags.data["storage.tsdb.retention.time"], "15h");
    assert.ok(await answers(`http://127.0.0.1:${blackboxPort}/metrics`), "the exporter does not answer at its new address");
    assert.match(localFile(copy, "logs/webhook-receiver.log"), /every 30s/);
    assert.match(localFile(copy, "logs/webhook-receiver.log.1"), /every 1m/, "the receiver's earlier log is gone");

    // A process that died is started again, and the run says which.
    kill(copy, "blackbox-exporter");
    await pollUntil("blackbox exporter gone", () => answers(`http://127.0.0.1:${blackboxPort}/metrics`), (up) => !up, { timeoutMs: 10_000 });
    const revived = await local(copy, "up");
    assert.equal(revived.code, 0, revived.stderr);
    assert.match(revived.stderr, /blackbox-exporter had stopped \(pid \d+ is gone\): starting it again/);
    assert.ok(await answers(`http://127.0.0.1:${blackboxPort}/metrics`));
    assert.equal((await local(copy, "down")).code, 0);
  });
});
