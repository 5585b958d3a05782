/**
 * `npm run up` with `services` in Pulumi.local.yaml (scripts/localServices.ts), on a copy of the
 * project (test/support/localCopy.ts): a reference service on each service's target and demo
 * clients of each, so that no service pages at idle, and the summary says which runs where; a
 * target not on this machine, or a bad WSMON_MAX_CONNECTIONS, is refused before anything starts.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { fetchWithin, stretched } from "../../harness/bounds";
import { pollUntil } from "../../harness/poll";
import { freePort } from "../../harness/processes";
import { getJson, local, localCopy, pidFiles, removeCopies } from "../support/localCopy";

after(removeCopies);

type Vector = { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };

describe("npm run up with services", () => {
  test("a reference service and demo clients per service, each on its target; both dashboards' gauges show 3; no WebSocketServiceDown; the summary names them", async () => {
    const [chat, presence] = await Promise.all([freePort(), freePort()]);
    const services = [{ name: "chat", targets: [`127.0.0.1:${chat}`] }, { name: "presence", targets: [`127.0.0.1:${presence}`] }];
    // 1s steps, as localScript.test.ts's demo: a service without its reference service would page within seconds.
    const copy = await localCopy({ targets: undefined, services, scrapeInterval: "1s", scrapeTimeout: "1s", alertEvaluationInterval: "1s", serviceDownFor: "1s", groupWait: "1s", groupInterval: "1s" });
    copy.env.WSMON_MAX_CONNECTIONS = "50";
    const up = await local(copy, "up");
    assert.equal(up.code, 0, up.stderr);
    for (const [name, port] of [["chat", chat], ["presence", presence]] as const) {
      assert.match(up.stdout, new RegExp(`\\n  service-${name} +http://127\\.0\\.0\\.1:${port}/ws/health\\n`));
      assert.match(up.stdout, new RegExp(`\\n  demo-clients-${name} +3 clients connected to ws://127\\.0\\.0\\.1:${port}/ws\\n`));
      // WSMON_MAX_CONNECTIONS: the limit of each reference service.
      assert.match(await (await fetchWithin(`http://127.0.0.1:${port}/ws/metrics`)).text(), /\nwebsocket_connection_limit 50\n/);
    }
    assert.match(up.stdout, /\nDemo: each service has a reference service on each of its targets and 3 demo clients[^\n]*chat \(service-chat, demo-clients-chat\), presence \(service-presence, demo-clients-presence\)/);

    const prometheus = `http://127.0.0.1:${new URL(copy.urls.prometheus).port}`;
    const query = async (q: string) => (await getJson<Vector>(`${prometheus}/api/v1/query?query=${encodeURIComponent(q)}`)).data.result;
    const byJob = async () => Object.fromEntries((await query("sum by (job) (websocket_active_connections)")).map((r) => [r.metric.job, r.value[1]]));
    await pollUntil("Prometheus sees 3 demo clients of each service", byJob, (v) => v.chat === "3" && v.presence === "3", { timeoutMs: stretched(20_000), intervalMs: 250 });
    // Each service's WebSocketServiceDown evaluated past its 1s pending period after both were seen: a service without its reference service would fire by then.
    const seenAt = Date.now() / 1000;
    type Rules = { data: { groups: { rules: { name: string; state: string; lastEvaluation: string; labels: Record<string, string> }[] }[] } };
    const downRules = async () => (await getJson<Rules>(`${prometheus}/api/v1/rules?type=alert`)).data.groups.flatMap((g) => g.rules).filter((r) => r.name === ALERT_NAMES.serviceDown);
    const evaluated = await pollUntil("each service's WebSocketServiceDown evaluated 2 s after the clients were seen", downRules, (rules) => rules.length === 2 && rules.every((r) => Date.parse(r.lastEvaluation) / 1000 > seenAt + 2), {
      timeoutMs: stretched(20_000),
      intervalMs: 250,
    });
    assert.deepEqual(evaluated.value.map((r) => [r.labels.service, r.state]), [["chat", "inactive"], ["presence", "inactive"]]);

    const down = await local(copy, "down");
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(pidFiles(copy), []);
  });

  test("a target not on this machine and a bad WSMON_MAX_CONNECTIONS: each refused, naming it and what is allowed; nothing started, exit 1", async () => {
    const copy = await localCopy({ targets: undefined, services: [{ name: "chat", targets: ["127.0.0.1:1"] }, { name: "presence", targets: ["presence.internal:8080"] }] });
    copy.env.WSMON_MAX_CONNECTIONS = "lots";
    const up = await local(copy, "up");
    assert.equal(up.code, 1, up.stdout);
    assert.match(up.stderr, /Cannot start the local stack \(2 problems\):\n {2}- websocket-monitoring:services\[1\]\.targets = "\["presence\.internal:8080"\]": 'npm run up' starts a reference service on each target[^\n]*allowed here: 127\.0\.0\.1:<port> or localhost:<port>/);
    assert.match(up.stderr, /\n {2}- WSMON_MAX_CONNECTIONS = "lots": allowed: a whole number from 1/);
    assert.match(up.stderr, /nothing started/);
    assert.deepEqual(pidFiles(copy), []);
  });
});
