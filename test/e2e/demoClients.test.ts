/**
 * The demo clients (scripts/demo-clients.ts) as README's recipes of the WebSocket layer use them,
 * against a reference service: `--drop-every` ends connections without a close frame, which the
 * service counts as 1006 (WebSocketAbnormalCloses); a path the service does not serve is refused
 * (404, WebSocketHandshakeFailures), and the clients say so. With the instances of a service as a
 * comma-separated --url, the clients of an instance that stops reconnect to the others.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { EVENT_TIMEOUT_MS, fetchWithin, START_TIMEOUT_MS } from "../../harness/bounds";
import { pollUntil } from "../../harness/poll";
import { ServerProcess, tsNodeArgs } from "../../harness/processes";
import { startReferenceService, type ReferenceService } from "../../harness/servers";

describe("the demo clients of README's recipes", () => {
  let service: ReferenceService;
  const clients: ServerProcess[] = [];
  const demoClients = (...args: string[]) => {
    const p = new ServerProcess("demo clients", process.execPath, tsNodeArgs("scripts/demo-clients.ts", ...args));
    clients.push(p);
    return p;
  };
  /** The sample of `series` (name and labels, as the service prints it) in the service's metrics, 0 while absent. */
  const sample = async (series: string) => {
    const text = await (await fetchWithin(`${service.url}/ws/metrics`)).text();
    return Number(text.split("\n").find((l) => l.startsWith(`${series} `))?.split(" ")[1] ?? 0);
  };

  before(async () => {
    service = await startReferenceService();
  });
  after(async () => {
    for (const p of clients) await p.stop();
    await service?.process.stop();
  });

  test("--drop-every: each connection ends without a close frame, which the service counts as 1006, and reconnects", async () => {
    const dropping = demoClients("--url", service.wsUrl, "--clients", "2", "--drop-every", "1");
    await dropping.waitForOutput(/2 clients connected to/, START_TIMEOUT_MS);
    await pollUntil("4 closes counted 1006", () => sample('websocket_closes_total{code="1006"}'), (n) => n >= 4, { timeoutMs: EVENT_TIMEOUT_MS });
    await dropping.waitForOutput(/of 2 connected to .*a connection ended, code 1006/, EVENT_TIMEOUT_MS);
    assert.equal(await sample('websocket_closes_total{code="1000"}'), 0, "a drop closed with a close frame");
  });

  test("--url with two instances: the clients spread over both; one drained (SIGTERM), its clients reconnect to the other", async () => {
    const other = await startReferenceService();
    try {
      const spread = demoClients("--url", `${service.wsUrl},${other.wsUrl}`, "--clients", "4");
      await spread.waitForOutput(/4 clients connected to /, START_TIMEOUT_MS);
      const active = async (r: ReferenceService) => Number((await (await fetchWithin(`${r.url}/ws/metrics`)).text()).match(/^websocket_active_connections (\d+)/m)?.[1] ?? 0);
      await pollUntil("2 clients on the second instance", () => active(other), (n) => n === 2, { timeoutMs: EVENT_TIMEOUT_MS });
      await other.process.stop("SIGTERM");
      await pollUntil("all 4 clients on the first instance", () => active(service), (n) => n >= 4, { timeoutMs: EVENT_TIMEOUT_MS });
    } finally {
      await other.process.stop("SIGKILL");
    }
  });

  test("a --url that is not a WebSocket URL is refused, naming it", async () => {
    const bad = demoClients("--url", `${service.wsUrl},http://127.0.0.1:1/ws`);
    await bad.waitForOutput(/--url http:\/\/127\.0\.0\.1:1\/ws: a ws:\/\/ or wss:\/\/ URL was expected/, START_TIMEOUT_MS);
  });

  test("a path the service does not serve: every upgrade refused with 404, and the clients say why", async () => {
    const refused = demoClients("--url", service.wsUrl.replace(/\/ws$/, "/nowhere"), "--clients", "1");
    await refused.waitForOutput(/0 of 1 connected to .*\(Unexpected server response: 404\)/, START_TIMEOUT_MS);
    await pollUntil("refused upgrades counted", () => sample('websocket_upgrades_total{outcome="rejected",status="404"}'), (n) => n >= 2, { timeoutMs: EVENT_TIMEOUT_MS });
  });
});
