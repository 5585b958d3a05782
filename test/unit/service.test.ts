/** The reference service keeps the contract the stack's queries rely on (service/, in process). */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import { METRIC_NAMES, PATHS } from "../../service/contract";
import { startService, type RunningService } from "../../service/server";
import { EVENT_TIMEOUT_MS, fetchWithin, within } from "../../harness/bounds";
import { pollUntil } from "../../harness/poll";
import { runCommand, tsNodeArgs } from "../../harness/processes";
import { startReferenceService } from "../../harness/servers";

/**
 * The ping interval of the service that tests a silent client: short, so that the test is quick.
 * Only that service has it: under CPU starvation a ping this frequent could drop any client.
 */
const SHORT_HEARTBEAT_MS = 300;

/** The next `event` of `ws` (its arguments), at most EVENT_TIMEOUT_MS; an `error` event rejects. */
function next<T extends unknown[]>(ws: WebSocket, event: "open" | "message" | "close"): Promise<T> {
  const happened = new Promise<T>((resolve, reject) => {
    ws.once(event, (...args: unknown[]) => resolve(args as T));
    ws.once("error", reject);
  });
  return within(`${ws.url}: ${event}`, happened, EVENT_TIMEOUT_MS);
}

describe("reference service", () => {
  let service: RunningService;
  before(async () => (service = await startService()));
  after(() => service.close());

  const wsUrl = (s = service) => `${s.url.replace(/^http/, "ws")}${PATHS.websocket}`;
  /** The value of one exposed series, e.g. `websocket_messages_total{direction="out"}`. */
  async function metric(series: string, s = service): Promise<number | undefined> {
    const text = await (await fetchWithin(`${s.url}${PATHS.metrics}`)).text();
    const line = text.split("\n").find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  }
  const eventually = (series: string, value: number, s = service) =>
    pollUntil(series, () => metric(series, s), (v) => v === value, { timeoutMs: EVENT_TIMEOUT_MS });

  async function connect(options?: WebSocket.ClientOptions, s = service): Promise<WebSocket> {
    const ws = new WebSocket(wsUrl(s), options);
    await next(ws, "open");
    return ws;
  }

  test("exposes every contract metric, label values from the start, and process metrics", async () => {
    const text = await (await fetchWithin(`${service.url}${PATHS.metrics}`)).text();
    for (const name of Object.values(METRIC_NAMES)) assert.match(text, new RegExp(`^# TYPE ${name} `, "m"), name);
    for (const reason of ["client_close", "server_shutdown", "error", "timeout"])
      assert.equal(await metric(`${METRIC_NAMES.disconnectionsTotal}{reason="${reason}"}`), 0);
    assert.match(text, /^process_cpu_seconds_total /m);
  });

  test("echoes messages and counts them in and out; counts the connection while it is open", async () => {
    const ws = await connect();
    const echo = next<[WebSocket.RawData]>(ws, "message");
    ws.send("ping?");
    assert.equal(String((await echo)[0]), "ping?");
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
    const pinging = await startService({ heartbeatMs: SHORT_HEARTBEAT_MS });
    try {
      await connect({ autoPong: false }, pinging);
      await eventually(`${METRIC_NAMES.disconnectionsTotal}{reason="timeout"}`, 1, pinging);
    } finally {
      await pinging.close();
    }
  });

  test("health: 200 healthy; 503 unhealthy after the admin endpoint flips it; only WebSocket upgrades on /ws", async () => {
    const health = async () => {
      const res = await fetchWithin(`${service.url}${PATHS.health}`);
      return { status: res.status, body: (await res.json()) as { status: string } };
    };
    assert.deepEqual(await health().then((h) => [h.status, h.body.status]), [200, "healthy"]);
    const flip = (status: string) => fetchWithin(`${service.url}${PATHS.adminHealth}?status=${status}`, { method: "POST" });
    assert.equal((await flip("unhealthy")).status, 200);
    assert.deepEqual(await health().then((h) => [h.status, h.body.status]), [503, "unhealthy"]);
    assert.equal((await flip("sideways")).status, 400);
    await flip("healthy");
    assert.equal((await health()).status, 200);
    await assert.rejects(next(new WebSocket(`${service.url.replace(/^http/, "ws")}/elsewhere`), "open"), /404/);
  });

  test("close() ends open connections as server_shutdown", async () => {
    const other = await startService();
    const ws = await connect(undefined, other);
    const closed = next<[number]>(ws, "close");
    await within("the service's close()", other.close(), EVENT_TIMEOUT_MS);
    assert.equal((await closed)[0], 1001);
    assert.match(await other.metrics(), new RegExp(`^${METRIC_NAMES.disconnectionsTotal}\\{reason="server_shutdown"\\} 1$`, "m"));
    assert.match(await other.metrics(), new RegExp(`^${METRIC_NAMES.closesTotal}\\{code="1001"\\} 1$`, "m"));
  });
});

describe("reference service: the drain of a rolling deploy (SIGTERM)", () => {
  test("drain(): refuses new upgrades with 503 and reports unhealthy, closes its clients with 1012 (server_shutdown), stays scrapeable for the linger, then stops", async () => {
    const draining = await startService();
    const wsUrl = `${draining.url.replace(/^http/, "ws")}${PATHS.websocket}`;
    const ws = new WebSocket(wsUrl);
    await next(ws, "open");
    const closed = next<[number]>(ws, "close");
    const LINGER_MS = 1500;
    const stopped = draining.drain({ code: 1012, lingerMs: LINGER_MS });
    assert.equal((await closed)[0], 1012);
    // While it lingers: new clients go elsewhere, the load balancer sees it unhealthy, Prometheus still scrapes the drain.
    await assert.rejects(next(new WebSocket(wsUrl), "open"), /503/);
    assert.equal((await fetchWithin(`${draining.url}${PATHS.health}`)).status, 503);
    const text = await (await fetchWithin(`${draining.url}${PATHS.metrics}`)).text();
    assert.match(text, new RegExp(`^${METRIC_NAMES.disconnectionsTotal}\\{reason="server_shutdown"\\} 1$`, "m"));
    assert.match(text, new RegExp(`^${METRIC_NAMES.closesTotal}\\{code="1012"\\} 1$`, "m"));
    await within("the drain", stopped, LINGER_MS + EVENT_TIMEOUT_MS);
    await assert.rejects(fetchWithin(`${draining.url}${PATHS.health}`));
  });

  test("the process drains on SIGTERM (1012 to its clients), and refuses a --drain-seconds it cannot keep", async () => {
    const service = await startReferenceService(0, "127.0.0.1", undefined, 1);
    try {
      const ws = new WebSocket(service.wsUrl);
      await next(ws, "open");
      const closed = next<[number]>(ws, "close");
      await service.process.stop("SIGTERM");
      assert.equal((await closed)[0], 1012);
    } finally {
      await service.process.stop("SIGKILL");
    }
    const bad = await runCommand(process.execPath, tsNodeArgs("service/main.ts", "--drain-seconds=-1"));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--drain-seconds: not a number of seconds from 0 to 300: -1/);
  });
});

describe("reference service: the WebSocket layer (upgrades, handshakes, closes by code, message handling, the limit)", () => {
  const LIMIT = 2;
  let service: RunningService;
  before(async () => (service = await startService({ maxConnections: LIMIT })));
  after(() => service.close());

  const wsUrl = (path: string = PATHS.websocket) => `${service.url.replace(/^http/, "ws")}${path}`;
  const series = async () => (await service.metrics()).split("\n");
  const value = async (name: string) => Number((await series()).find((l) => l.startsWith(`${name} `))?.split(" ")[1]);
  const eventually = (name: string, expected: number) => pollUntil(name, () => value(name), (v) => v === expected, { timeoutMs: EVENT_TIMEOUT_MS });
  const upgrades = (outcome: string, status: string) => `${METRIC_NAMES.upgradesTotal}{outcome="${outcome}",status="${status}"}`;
  const closes = (code: string) => `${METRIC_NAMES.closesTotal}{code="${code}"}`;

  test("every label value from the start, and the limit it was started with", async () => {
    for (const code of ["1000", "1001", "1006", "1011", "1012", "1013", "other"]) assert.equal(await value(closes(code)), 0, code);
    for (const [outcome, status] of [["accepted", "101"], ["rejected", "503"], ["rejected", "404"]]) assert.equal(await value(upgrades(outcome, status)), 0);
    assert.equal(await value(METRIC_NAMES.connectionLimit), LIMIT);
  });

  test("up to the limit, upgrades are accepted and timed; beyond it refused with 503, and counted as refused", async () => {
    const open = await Promise.all([new WebSocket(wsUrl()), new WebSocket(wsUrl())].map(async (ws) => (await next(ws, "open"), ws)));
    await assert.rejects(next(new WebSocket(wsUrl()), "open"), /503/);
    await assert.rejects(next(new WebSocket(wsUrl("/elsewhere")), "open"), /404/);
    assert.equal(await value(upgrades("accepted", "101")), 2);
    assert.equal(await value(upgrades("rejected", "503")), 1);
    assert.equal(await value(upgrades("rejected", "404")), 1);
    assert.equal(await value(`${METRIC_NAMES.handshakeDuration}_count`), 2);
    // A message handled: timed until its echo is written.
    const echo = next<[WebSocket.RawData]>(open[0], "message");
    open[0].send("hello");
    await echo;
    await eventually(`${METRIC_NAMES.messageDuration}_count`, 1);
    // Closes by code: a normal close (1000), one without a close frame (1006); then there is room again.
    open[0].close(1000);
    open[1].terminate();
    await eventually(closes("1000"), 1);
    await eventually(closes("1006"), 1);
    const again = new WebSocket(wsUrl());
    await next(again, "open");
    again.close(4000);
    await eventually(closes("other"), 1);
    // 1012 (service restart) and 1013 (try again later) are counted apart: they tell a rollout from a drop.
    for (const code of [1012, 1013]) {
      const ws = new WebSocket(wsUrl());
      await next(ws, "open");
      ws.close(code);
      await eventually(closes(String(code)), 1);
    }
  });
});
