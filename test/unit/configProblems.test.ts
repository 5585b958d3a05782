/** Config problems reported once and where they are: a refused value, a key in a misspelt namespace, one cause of several; a component's Args named as such. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentArgs, ServiceArgs } from "../../components/args";
import { settingsOf } from "../../components/fromArgs";
import { rawPulumiConfig } from "../../config/pulumi";
import type { RawConfig } from "../../config/validate";
import { problemsOf, raw } from "../support/configCases";
import { stackRawConfig } from "../support/stacks";

describe("namespaces", () => {
  const withOtherKeys = (otherKeys: string[]): RawConfig => ({ ...raw({}), otherKeys });

  test("a key in a near miss of the project's namespace is refused, naming the namespace to use", () => {
    const problems = problemsOf(withOtherKeys(["websocketmonitoring:connectionsMax", "websocket_monitoring:scrapeIntervall", "Websocket-Monitorng:protect", "websocket:jobName"]));
    assert.equal(problems.length, 4, problems.join("\n"));
    assert.match(problems[0], /^websocketmonitoring:connectionsMax: namespace 'websocketmonitoring' is not this project's: no program reads it, so the value would be ignored\. Write it as 'websocket-monitoring:connectionsMax'/);
    assert.match(problems[1], /^websocket_monitoring:scrapeIntervall: .*Write it as 'websocket-monitoring:scrapeIntervall'.*Its key is unknown too\. Did you mean 'scrapeInterval'\?/);
    assert.match(problems[2], /^Websocket-Monitorng:protect: .*'websocket-monitoring:protect'/);
    assert.match(problems[3], /^websocket:jobName: .*'websocket-monitoring:jobName'/);
  });

  test("the program reads them from Pulumi's runtime as the CLI hands them over: the near miss refused, the providers' passed", () => {
    const local = stackRawConfig("local");
    const namespaced = Object.fromEntries(Object.entries(local.values).map(([k, v]) => [`websocket-monitoring:${k}`, v]));
    pulumi.runtime.setAllConfig({ ...namespaced, "websocketmonitoring:connectionsMax": "300", "grafana:url": "http://127.0.0.1:3000" }, [...local.secretKeys].map((k) => `websocket-monitoring:${k}`));
    const problems = problemsOf(rawPulumiConfig());
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^websocketmonitoring:connectionsMax: namespace 'websocketmonitoring' is not this project's/);
  });

  test("providers' and Pulumi's own namespaces are theirs", () => {
    assert.deepEqual(problemsOf(withOtherKeys(["grafana:url", "grafana:auth", "kubernetes:context", "docker:host", "pulumi:disable-default-providers", "aws:region", "gcp:project"])), []);
  });
});

describe("a refused secret is one problem, without follow-on ones", () => {
  test("prod with a plain-text slackWebhookUrl: only that it must be a secret, not that 'slack' has no contact settings", () => {
    const plain = stackRawConfig("prod");
    const problems = problemsOf({ values: plain.values, secretKeys: new Set([...plain.secretKeys].filter((k) => k !== "slackWebhookUrl")) });
    assert.deepEqual(problems, ["websocket-monitoring:slackWebhookUrl: must be a secret, but it is stored in plain text; run 'pulumi config set --secret slackWebhookUrl <value>'."]);
  });
});

describe("one cause, one message", () => {
  test("a scrapeInterval longer than several keys allow is one problem, on scrapeInterval, naming each of them", () => {
    assert.deepEqual(problemsOf(raw({ scrapeInterval: "2m" })), [
      'websocket-monitoring:scrapeInterval = "2m": allowed: at most 30s with dashboardRefresh = "30s" (at least scrapeInterval: at most 30s), ' +
        'unstableWindow = "5m" (at least 4 x scrapeInterval: at most 1m15s), layerWindow = "5m" (at least 4 x scrapeInterval: at most 1m15s); shorten scrapeInterval, or lengthen those keys.',
    ]);
  });

  test("targets at the top level of a stack with services: only that it belongs in each service, not that each service lacks it", () => {
    const problems = problemsOf(raw({ services: JSON.stringify([{ name: "chat" }, { name: "presence" }]) }));
    assert.deepEqual(problems, ["websocket-monitoring:targets: set per service when services is set; move it into each service ('pulumi config rm targets', then 'pulumi config set --path services[<i>].targets <value>')."]);
  });
});

describe("a component's Args: problems name the Args property and advise no pulumi config command", () => {
  const environment = { platform: "local", grafanaAuth: "admin:admin", webhookUrl: "http://127.0.0.1:9999/hook", scrapeIntervall: "15s" } as EnvironmentArgs;
  const failure = (run: () => unknown): string => {
    try {
      run();
    } catch (e) {
      return (e as Error).message;
    }
    return assert.fail("no problem reported");
  };

  test("WebSocketMonitoring: its service's keys as service.<key>, the environment's as environment.<key>", () => {
    const message = failure(() => settingsOf({ component: "WebSocketMonitoring 'chat'", servicesProperty: "service" }, environment, [{ targets: ["127.0.0.1:8080"], runbookBaseUrl: "https://r.example.com", connectionsMax: "many" as unknown as number }]));
    assert.match(message, /^Invalid Args of WebSocketMonitoring 'chat' \(2 problems\):/);
    assert.match(message, /\n {2}- environment\.scrapeIntervall: unknown key\. Did you mean 'scrapeInterval'\? Remove it\.\n/);
    assert.match(message, /\n {2}- service\.connectionsMax = "many": allowed: a whole number/);
    assert.doesNotMatch(message, /pulumi config|websocket-monitoring:/);
  });

  test("MonitoringEnvironment: a listed service's keys as services[i].<key>; a service's key in the environment, once", () => {
    const services = [{ name: "chat", targets: ["127.0.0.1:8081"], runbookBaseUrl: "https://r.example.com" }, { name: "presence", runbookBaseUrl: "https://r.example.com", grafanaUrl: "http://g" }];
    const message = failure(() => settingsOf({ component: "MonitoringEnvironment 'rt'", servicesProperty: "services" }, { ...environment, scrapeIntervall: undefined, targets: ["127.0.0.1:1"] } as EnvironmentArgs, services as ServiceArgs[]));
    assert.match(message, /- environment\.targets: set per service when services is set; move it into each service\.\n/);
    assert.match(message, /- services\[1\]\.grafanaUrl: set for the whole stack, not per service; set it in the environment's Args and remove it from services\[1\]\./);
    assert.doesNotMatch(message, /pulumi config|websocket-monitoring:|required/);
  });
});
