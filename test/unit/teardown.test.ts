/**
 * What `pulumi destroy` removes and keeps (README, "What `pulumi destroy` removes and what it
 * keeps"), as the resource options the program registers: protected resources stop a destroy,
 * resources with retainOnDelete are dropped from the state but left in place.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runStack, type StackRun } from "../support/mockStack";
import { stackRawConfig } from "../support/stacks";

const VOLUME = "docker:index/volume:Volume";
const kept = (r: StackRun) => r.resources.filter((x) => x.protect || x.retainOnDelete).map((x) => `${x.type} ${x.name}${x.protect ? " (protected)" : ""}`);

describe("pulumi destroy", () => {
  test("dev removes everything it created, data volumes included", async () => {
    assert.deepEqual(kept(await runStack("dev", stackRawConfig("dev"))), []);
  });

  test("dev with keepData keeps exactly the Prometheus and Grafana data volumes", async () => {
    assert.deepEqual(kept(await runStack("dev", stackRawConfig("dev", { keepData: "true" }))).sort(), [
      `${VOLUME} websocket-dev-grafana-data`,
      `${VOLUME} websocket-dev-scrape-prometheus-data`,
    ]);
  });

  test("prod keeps nothing silently: its protected resources make destroy refuse", async () => {
    const r = await runStack("prod", stackRawConfig("prod"));
    assert.ok(r.resources.every((x) => !x.retainOnDelete));
    assert.equal(kept(r).length, 4, "folder, dashboard and the two rule groups");
  });
});
