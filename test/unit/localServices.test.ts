/** What `npm run up` starts for the local stack's services (scripts/localServices.ts), and what it stops of an earlier run. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { onPlatform } from "../../config/settings";
import { FIXTURES_DIR, servicesFromStackFile } from "../../render/stackSettings";
import { localProcesses, maxConnections, staleProcesses } from "../../scripts/localServices";

const local = (overrides: Record<string, string | undefined>, stack = "local", dir?: string) => servicesFromStackFile(stack, overrides, dir).map((s) => onPlatform(s, "local"));

describe("npm run up's reference services and demo clients", () => {
  test("a stack's one service keeps the names service and demo-clients; a second target is service@2", () => {
    const p = localProcesses(local({ targets: '["127.0.0.1:8080","localhost:8081"]' }));
    assert.deepEqual(p.references.map((r) => [r.name, r.host, r.port]), [["service", "127.0.0.1", "8080"], ["service@2", "localhost", "8081"]]);
    // The clients know every instance of their service: they reconnect to another when theirs stops (a rollout, a crash).
    assert.deepEqual(p.clients.map((c) => [c.name, c.url]), [["demo-clients", "ws://127.0.0.1:8080/ws,ws://localhost:8081/ws"]]);
    assert.deepEqual(p.problems, []);
  });

  test("with services, each its own, named after it (the two-service fixture)", () => {
    const p = localProcesses(local({}, "services", FIXTURES_DIR));
    assert.deepEqual(p.references.map((r) => `${r.name} ${r.host}:${r.port}`), ["service-chat 127.0.0.1:8081", "service-presence 127.0.0.1:8082"]);
    assert.deepEqual(p.clients.map((c) => c.name), ["demo-clients-chat", "demo-clients-presence"]);
  });

  test("what an earlier run started and the stack no longer has is stopped; the monitoring processes are not", () => {
    const p = localProcesses(local({}, "services", FIXTURES_DIR));
    const pids = ["service", "demo-clients", "service-chat", "service-chat@2", "service-billing", "demo-clients-chat", "prometheus", "alertmanager", "webhook-receiver"];
    assert.deepEqual(staleProcesses(pids, p), ["service", "demo-clients", "service-chat@2", "service-billing"]);
  });

  test("WSMON_MAX_CONNECTIONS: unset is the service's default; anything but a whole number of at least 1 is refused, naming it", () => {
    assert.deepEqual(maxConnections(undefined), { value: "" });
    assert.deepEqual(maxConnections("10"), { value: "10" });
    for (const bad of ["0", "-1", "1.5", "ten"]) assert.match(maxConnections(bad).problem ?? "", new RegExp(`^WSMON_MAX_CONNECTIONS = "${bad}": allowed: a whole number from 1`));
  });
});
