/** The reference service keeps the contract the stack's queries rely on (service/, in process). */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import { METRIC_NAMES, PATHS } from "../../service/contract";
import { startService, type RunningService } from "../../service/server";
import { pollUntil } from "../../harness/poll";

const HEARTBEAT_MS = 100;

describe("reference service", () => {
  let service: RunningService;
  before(async () => (service = await startService({ heartbeatMs: HEARTBEAT_MS })));
  after(() => service.close());

  const wsUrl = () => `${service.url.replace(/^http/, "ws")}${PATHS.websocket}`;
  const metricsText = async () => (await fetch(`${service.url}${PATHS.metrics}`)).text();
  /** The value of one exposed series, e.g. `websocket_messages_total{direction="out"}`. */
  async function metric(series: string): Promise<number | undefined> {
    const line = (await metricsText()).split("\n").find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  }
  const eventually = (series: string, value: number) =>
    pollUntil(series, () => metric(series), (v) => v === value, { timeoutMs: 5 * HEARTBEAT_MS + 1000 });

  function connect(options?: WebSocket.ClientOptions): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl(), options);
      ws.once("open", () => resolve(ws));
      ws.once("error", reject);
    });
  }

  test("exposes every contract metric, label values from the start, and process metrics", async () => {
    const text = await metricsText();
    for (const name of Object.values(METRIC_NAMES)) assert.match(text, new RegExp(`^# TYPE ${name} `, "m"), name);
    for (const reason of ["client_close", "server_shutdown", "error", "timeout"])
      assert.equal(await metric(`${METRIC_NAMES.disconnectionsTotal}{reason="${reason}"}`), 0);
    assert.match(text, /^process_cpu_seconds_total /m);
  });

  test("echoes messages and counts them in and out; counts the connection while it is open", async () => {
    const ws = await connect();
    const echo = new Promise<string>((resolve) => ws.once("message", (data) => resolve(String(data))));
    ws.send("ping?");
    assert.equal(await echo, "ping?");
    assert.equal(await metric(METRIC_NAMES.activeConnections), 1);
    await eventually(`${METRIC_NAMES.messagesTotal}{direction="out"}`, 1);
    assert.equal(await metric(`${METRIC_NAMES.messagesTotal}{direction="in"}`), 1);
    ws.close();
    await eventually(`${METRIC_NAMES.disconnectionsTotal}{reason="client_close"}`, 1);
    assert.equal(await metric(METRIC_NAMES.activeConnections), 0);
    assert.equal(await metric(`${METRIC_NAMES.connectionDuration}_count`), 1);
  });

  test("a connection dropped without a close frame counts as error; an unanswered ping as timeout", async () => {
    (await connect()).terminate();
    await eventually(`${METRIC_NAMES.disconnectionsTotal}{reason="error"}`, 1);
    await connect({ autoPong: false });
    await eventually(`${METRIC_NAMES.disconnectionsTotal}{reason="timeout"}`, 1);
  });

  test("health: 200 healthy; 503 unhealthy after the admin endpoint flips it; only WebSocket upgrades on /ws", async () => {
    const health = async () => {
      const res = await fetch(`${service.url}${PATHS.health}`);
      return { status: res.status, body: (await res.json()) as { status: string } };
    };
    assert.deepEqual(await health().then((h) => [h.status, h.body.status]), [200, "healthy"]);
    const flip = (status: string) => fetch(`${service.url}${PATHS.adminHealth}?status=${status}`, { method: "POST" });
    assert.equal((await flip("unhealthy")).status, 200);
    assert.deepEqual(await health().then((h) => [h.status, h.body.status]), [503, "unhealthy"]);
    assert.equal((await flip("sideways")).status, 400);
    await flip("healthy");
    assert.equal((await health()).status, 200);
    await assert.rejects(new Promise((resolve, reject) => {
      const ws = new WebSocket(`${service.url.replace(/^http/, "ws")}/elsewhere`);
      ws.once("open", resolve);
      ws.once("error", reject);
    }), /404/);
  });

  test("close() ends open connections as server_shutdown", async () => {
    const other = await startService();
    const ws = new WebSocket(`${other.url.replace(/^http/, "ws")}${PATHS.websocket}`);
    await new Promise((resolve) => ws.once("open", resolve));
    const closeCode = new Promise<number>((resolve) => ws.once("close", resolve));
    await other.close();
    assert.equal(await closeCode, 1001);
    assert.match(await other.metrics(), new RegExp(`^${METRIC_NAMES.disconnectionsTotal}\\{reason="server_shutdown"\\} 1$`, "m"));
  });
});
