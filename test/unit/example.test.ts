/**
 * The example program of another team (examples/two-services/), which uses the components as a
 * dependency, on Pulumi's mock engine: each service its own dashboard, rules and scrape objects,
 * the environment's routing once, and its secrets, given as Pulumi outputs, deployed as secrets
 * and as themselves (never the stand-in validation used for them).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { isSecretWire, plainOccurrences, reveal, runProgram } from "../support/mockStack";
import { T } from "../support/stackRuns";

const SECRETS = { grafanaAuth: "glsa_exampletoken", slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/example" };

test("examples/two-services: two services monitored, their secrets deployed as secrets", async () => {
  // The project-level config of its Pulumi.yaml, as the CLI hands it to the program.
  const project = parse(readFileSync(path.join(__dirname, "../../examples/two-services/Pulumi.yaml"), "utf8")) as { config: Record<string, string> };
  const raw = { values: SECRETS, secretKeys: new Set(Object.keys(SECRETS)), otherValues: project.config };
  const resources = await runProgram("example", raw, () => require("../../examples/two-services/index"));
  const names = (type: string) => resources.filter((r) => r.type === type).map((r) => r.name).sort();
  assert.deepEqual(names("websocket-monitoring:index:WebSocketMonitoring"), ["realtime-chat", "realtime-presence"]);
  assert.deepEqual(names(T.dashboard), ["websocket-realtime-chat-dashboard", "websocket-realtime-presence-dashboard"]);
  assert.deepEqual(names(T.customResource("PrometheusRule")), ["websocket-realtime-chat-alerting-rules", "websocket-realtime-presence-alerting-rules"]);
  assert.deepEqual(names(T.customResource("ServiceMonitor")), ["websocket-realtime-chat-scrape-servicemonitor", "websocket-realtime-presence-scrape-servicemonitor"]);
  assert.deepEqual(names(T.customResource("AlertmanagerConfig", "v1alpha1")), ["websocket-realtime-alerting-routing"]);

  const receivers = resources.find((r) => r.type === T.k8sSecret && r.name.endsWith("-receivers"))!;
  assert.equal((reveal(receivers.inputs.stringData) as Record<string, string>)["slack-webhook-url"], SECRETS.slackWebhookUrl);
  const provider = resources.find((r) => r.type === T.grafanaProvider)!;
  assert.ok(isSecretWire(provider.inputs.auth) && reveal(provider.inputs.auth) === SECRETS.grafanaAuth);
  for (const r of resources) {
    for (const value of [...Object.values(SECRETS), "placeholder"]) assert.deepEqual(plainOccurrences(r.inputs, value), [], `${r.type} ${r.name} holds '${value}' in plain text`);
  }
  // Secret where they are (the loop below: nowhere in plain text).
  assert.ok(isSecretWire(receivers.inputs.stringData) || isSecretWire((receivers.inputs.stringData as Record<string, unknown>)["slack-webhook-url"]));
  // Each service's own thresholds and objectives.
  const rule = (name: string) => JSON.stringify(resources.find((r) => r.name === `websocket-realtime-${name}-alerting-rules` && r.type === T.customResource("PrometheusRule"))!.inputs);
  assert.match(rule("chat"), /> 5000/);
  assert.match(rule("presence"), /objective \(99\.5%\)/);
});
