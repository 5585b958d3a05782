/**
 * amtool on the rendered alertmanager.yml: `amtool check-config` for every local and Docker stack
 * (committed and fixtures), and `amtool config routes test` for where each alert of the test
 * stack, and of each service of the two-service fixture, is routed. Whether the operational hours hold is proven end to end (test/e2e/notifications.test.ts).
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { alertDefinitions, environmentHeartbeat } from "../../alerts/definitions";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { eachService, type Services } from "../../config/settings";
import { stackNames } from "../../config/stackFile";
import { resourceBaseName } from "../../lib/naming";
import { RENDERED, writeRenderedFiles } from "../../render/renderedFiles";
import { FIXTURES_DIR, servicesFromStackFile, settingsFromStackFile } from "../../render/stackSettings";
import { runCommand } from "../../harness/processes";
import { tempDir } from "../../harness/tempDir";

const dir = tempDir("websocket-monitoring-alertmanager-");

function rendered(services: Services): string {
  const { stack } = eachService(services)[0];
  writeRenderedFiles(services, path.join(dir, stack));
  return path.join(dir, stack, RENDERED.alertmanager);
}

async function amtool(...args: string[]): Promise<string> {
  const result = await runCommand("amtool", args);
  assert.equal(result.code, 0, result.summary);
  return result.stdout;
}

/** A stack as its own Alertmanager would route it (alertEngine prometheus), whichever engine it uses now. */
const withAlertmanager = (stack: string, dir?: string) => servicesFromStackFile(stack, { alertEngine: "prometheus" }, dir);

const STACKS: [string, string?][] = [...stackNames().map((s): [string] => [s]), ["e2e", FIXTURES_DIR], ["rules", FIXTURES_DIR], ["services", FIXTURES_DIR]];

describe("amtool check-config on every rendered alertmanager.yml", () => {
  for (const [stack, stackDir] of STACKS) {
    // Kubernetes stacks are routed by the operator's Alertmanager: the AlertmanagerConfig in objects.yaml.
    if (settingsFromStackFile(stack, {}, stackDir).platform === "kubernetes") continue;
    const s = withAlertmanager(stack, stackDir);
    test(stack, async () => {
      await amtool("check-config", rendered(s));
    });
  }

  test("fails on a route to a receiver that does not exist (the check can fail)", async () => {
    const broken = { ...withAlertmanager("rules", FIXTURES_DIR)[0], stack: "broken" };
    const file = rendered(broken);
    writeFileSync(file, readFileSync(file, "utf8").replace("receiver: websocket-rules-critical", "receiver: nobody"));
    const result = await runCommand("amtool", ["check-config", file]);
    assert.notEqual(result.code, 0);
    assert.match(result.stdout + result.stderr, /undefined receiver "nobody"/);
  });
});

const labelArgs = (labels: Record<string, string>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`);

describe("amtool config routes test: each alert reaches the receiver of its severity", () => {
  const services = withAlertmanager("rules", FIXTURES_DIR);
  const base = resourceBaseName(services[0]);
  const file = rendered(services);
  routesOfEveryAlert(services, file);

  test("the heartbeat (local stack) reaches its own receiver and no one else; the other alerts never reach it", async () => {
    const local = withAlertmanager("local");
    const localFile = rendered(local);
    const labels = { alertname: ALERT_NAMES.heartbeat, environment: "local", severity: "none", service: "websocket" };
    await amtool("config", "routes", "test", `--config.file=${localFile}`, "--verify.receivers=websocket-local-heartbeat", ...labelArgs(labels));
    const serviceDown = { alertname: ALERT_NAMES.serviceDown, environment: "local", severity: "critical", service: "websocket" };
    await amtool("config", "routes", "test", `--config.file=${localFile}`, "--verify.receivers=websocket-local-critical", ...labelArgs(serviceDown));
  });

  test("an alert of another environment falls through to the default (warning) receiver", async () => {
    const out = await amtool("config", "routes", "test", `--config.file=${file}`, "alertname=Other", "environment=elsewhere", "severity=critical");
    assert.equal(out.trim(), `${base}-warning`);
  });
});

describe("amtool config routes test: each alert of each of two services reaches the receiver of its severity", () => {
  const services = withAlertmanager("services", FIXTURES_DIR);
  routesOfEveryAlert(services, rendered(services));

  test("the environment's heartbeat, of no service, reaches its own receiver", async () => {
    const withHeartbeat = servicesFromStackFile("services", { alertEngine: "prometheus" }, FIXTURES_DIR, { heartbeatUrl: "http://127.0.0.1:9099/heartbeat" });
    const heartbeat = environmentHeartbeat(withHeartbeat)!;
    const file = rendered(withHeartbeat.map((s) => ({ ...s, stack: "services-heartbeat" })));
    const receiver = `${resourceBaseName(withHeartbeat[0])}-heartbeat`;
    await amtool("config", "routes", "test", `--config.file=${file}`, `--verify.receivers=${receiver}`, ...labelArgs({ ...heartbeat.labels, alertname: heartbeat.name }));
  });
});

function routesOfEveryAlert(services: Services, file: string): void {
  for (const s of eachService(services)) {
    const base = resourceBaseName(s);
    for (const a of alertDefinitions(s)) {
      // The outage inhibitor tells no one: it only holds back what the outage explains.
      const expected = a.name === ALERT_NAMES.outage ? `${base}-silent` : `${base}-${a.severity}`;
      test(`${s.service.name}: ${a.name} -> ${expected}`, async () => {
        const labels = { ...a.labels, alertname: a.name, reason: "scrape_failed" };
        await amtool("config", "routes", "test", `--config.file=${file}`, `--verify.receivers=${expected}`, ...labelArgs(labels));
      });
    }
  }
}
