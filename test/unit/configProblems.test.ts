/** Config problems reported once and where they are: a refused value, a key in a misspelt namespace. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
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
