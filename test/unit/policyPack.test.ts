/**
 * The policy pack (policy/policies.ts) on the resources the real program registers on the mock
 * engine, twice. In process, for every stack, the way the engine runs policies (remediations
 * first). And as `pulumi preview --policy-pack policy` runs it, without the CLI: started the way
 * the CLI's pulumi-analyzer-policy starts it (@pulumi/pulumi's run-policy-pack, resolved from and
 * run in policy/, which compiles the TypeScript with its ts-node), with the stack's config in
 * PULUMI_CONFIG, then asked over gRPC what the engine asks of each resource: Remediate, then
 * Analyze, with secrets marked where the engine marks them. Proves the pack's layout loads and
 * that a plain credential is told apart from a secret one.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { AnalyzeRequest, AnalyzerResourceOptions } from "@pulumi/pulumi/proto/analyzer_pb";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { CONFIG_NAMESPACE } from "../../config/validate";
import { buildDashboard } from "../../dashboards/websocket";
import { stableJson } from "../../lib/stableJson";
import { policies } from "../../policy/policies";
import { PROTECTED_TYPES, protectedStackWithoutHeartbeat } from "../../policy/rules";
import { GRAFANA_TYPES } from "../../policy/types";
import { ofType, reveal, runStack, type Registered } from "../support/mockStack";
import { allViolations, stackViolations } from "../support/policyRuns";
import { run, settingsOf } from "../support/stackRuns";
import { TEST_SECRETS, stackRawConfig } from "../support/stacks";

describe("the policy pack on the resources the program registers", () => {
  for (const stack of Object.keys(TEST_SECRETS)) {
    test(`${stack}: no violation`, async () => {
      assert.deepEqual(await allViolations(stack, (await run(stack)).resources), []);
    });
  }

  test("prod: folder, dashboard and rule group are protected; without protect each is a violation", async () => {
    const guarded = (await run("prod")).resources.filter((r) => PROTECTED_TYPES.includes(r.type));
    // Two rule groups: the alerts, and the SLO tickets.
    assert.deepEqual(guarded.map((r) => r.type).sort(), [GRAFANA_TYPES.ruleGroup, GRAFANA_TYPES.ruleGroup, GRAFANA_TYPES.folder, GRAFANA_TYPES.dashboard].sort());
    assert.ok(guarded.every((r) => r.protect));
    const unprotected = guarded.map((r) => ({ ...r, protect: false }));
    assert.equal((await allViolations("prod", unprotected)).filter((v) => v.startsWith("prod-resources-protected:")).length, 4);
  });

  test("a protected stack without heartbeatUrl: heartbeat-on-protected-stack warns (advisory); with it, or unprotected, it does not", async () => {
    const policy = policies.find((p) => p.name === "heartbeat-on-protected-stack")!;
    assert.equal(policy.enforcementLevel, "advisory");
    const withoutHeartbeat = (stack: string) => {
      const raw = stackRawConfig(stack);
      const { heartbeatUrl: _, ...rest } = raw.values;
      return runStack(stack, { ...raw, values: rest, secretKeys: new Set([...raw.secretKeys].filter((k) => k !== "heartbeatUrl")) });
    };
    const prod = await withoutHeartbeat("prod");
    const guarded = prod.resources.filter((r) => r.protect).map((r) => r.name);
    assert.ok(guarded.length > 0, "prod protects nothing");
    assert.deepEqual(await stackViolations("prod", prod.resources), [
      `heartbeat-on-protected-stack: ${protectedStackWithoutHeartbeat("prod", guarded, [])[0]}`,
    ]);
    assert.deepEqual(await stackViolations("prod", (await run("prod")).resources), []);
    assert.deepEqual(await stackViolations("staging", (await withoutHeartbeat("staging")).resources), []);
  });

  test("prod: a contact point with a plain webhook URL, a rule without runbook, a 10s refresh", async () => {
    const r = await run("prod");
    const [critical] = ofType(r, GRAFANA_TYPES.contactPoint).filter((c) => c.name.endsWith("-critical"));
    const ruleGroup = ofType(r, GRAFANA_TYPES.ruleGroup).find((x) => x.name.endsWith("-alerting-rules"))!;
    const dashboard = ofType(r, GRAFANA_TYPES.dashboard)[0];
    const rules = reveal(ruleGroup.inputs.rules) as { name: string; annotations: Record<string, string> }[];
    delete rules[0].annotations.runbook_url;
    const broken: Registered[] = [
      { ...critical, inputs: { ...critical.inputs, webhooks: reveal(critical.inputs.webhooks) } },
      { ...ruleGroup, inputs: { ...ruleGroup.inputs, rules } },
      { ...dashboard, inputs: { ...dashboard.inputs, configJson: stableJson({ ...buildDashboard(settingsOf("prod")), refresh: "10s" }) } },
    ];
    assert.deepEqual(await allViolations("prod", broken), [
      "receiver-credentials-secret: webhooks[0].url is plain text: pass it through pulumi.secret() (config: 'pulumi config set --secret')",
      `alert-rules-documented: alert rule '${rules[0].name}' has no 'runbook_url' annotation`,
      "dashboard-refresh-not-faster-than-scrape: dashboard refresh 10s is faster than the scrape interval (30s)",
    ]);
  });
});

type Properties = Parameters<AnalyzeRequest["setProperties"]>[0];
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as {
  Struct: { fromJavaScript(value: Record<string, unknown>): NonNullable<Properties> };
};

const POLICY_DIR = path.resolve(__dirname, "..", "..", "policy");
const STACK = "prod";

/** A value as the engine sends a secret. */
const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });

let pack: ChildProcess;
let client: AnalyzerClient;

/** Starts the pack and resolves with the port it prints, as the CLI expects. */
function startPack(): Promise<number> {
  const raw = stackRawConfig(STACK);
  const config = Object.fromEntries(Object.entries(raw.values).map(([k, v]) => [`${CONFIG_NAMESPACE}:${k}`, v]));
  // As the CLI passes them: the config with secrets decrypted (which keys are secret it does not say), the stack for Node.js packs.
  const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_CONFIG: JSON.stringify(config), PULUMI_STACK: STACK, PULUMI_NODEJS_STACK: STACK };
  delete env.NODE_OPTIONS; // the CLI's node does not run under this test's tsx loader
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [POLICY_DIR] });
  pack = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: POLICY_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  pack.stderr!.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    pack.stdout!.once("data", (d) => resolve(Number(String(d).trim())));
    pack.once("exit", (code) => reject(new Error(`policy pack exited with ${code}:\n${stderr}`)));
  });
}

function request(r: { type: string; name: string; inputs: Record<string, unknown>; protect: boolean }): AnalyzeRequest {
  const req = new AnalyzeRequest();
  req.setUrn(`urn:pulumi:${STACK}::websocket-monitoring::${r.type}::${r.name}`);
  req.setType(r.type);
  req.setName(r.name);
  req.setProperties(Struct.fromJavaScript(r.inputs));
  req.setOptions(new AnalyzerResourceOptions().setProtect(r.protect));
  return req;
}

/** Remediate, then Analyze, as the engine does for each resource; the violations as "policy: message". */
async function check(r: Parameters<typeof request>[0]): Promise<string[]> {
  const req = request(r);
  await new Promise((resolve, reject) => client.remediate(req, (err, res) => (err ? reject(err) : resolve(res))));
  const res = await new Promise<{ getDiagnosticsList(): { getPolicyname(): string; getMessage(): string }[] }>((resolve, reject) =>
    client.analyze(req, (err, out) => (err ? reject(err) : resolve(out))),
  );
  // The SDK prefixes each message with the policy's description.
  return res.getDiagnosticsList().map((d) => `${d.getPolicyname()}: ${d.getMessage().split("\n").slice(1).join("\n")}`);
}

describe("the policy pack, loaded as the Pulumi CLI loads it", { timeout: 120_000 }, () => {
  let resources: Registered[];

  before(async () => {
    const port = await startPack();
    client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    resources = (await run(STACK)).resources;
  });

  after(() => {
    client?.close();
    pack?.kill();
  });

  test("prod's resources as the program registers them: no violation", async () => {
    for (const r of resources) assert.deepEqual(await check(r), [], `${r.type} ${r.name}`);
  });

  test("contact point credentials: secret passes, plain text is a violation", async () => {
    const contactPoint = (url: unknown) => ({
      type: GRAFANA_TYPES.contactPoint,
      name: "websocket-prod-alerting-critical",
      inputs: { name: "websocket-prod-critical", webhooks: [{ url, httpMethod: "POST" }] },
      protect: false,
    });
    assert.deepEqual(await check(contactPoint(secret(TEST_SECRETS.prod.webhookUrl))), []);
    assert.deepEqual(await check(contactPoint(TEST_SECRETS.prod.webhookUrl)), [
      "receiver-credentials-secret: webhooks[0].url is plain text: pass it through pulumi.secret() (config: 'pulumi config set --secret')",
    ]);
  });

  test("an unprotected rule group without runbook, a dashboard refreshing faster than prod scrapes", async () => {
    const group = resources.find((r) => r.type === GRAFANA_TYPES.ruleGroup)!;
    const rules = reveal(group.inputs.rules) as { name: string; annotations: Record<string, string> }[];
    delete rules[0].annotations.runbook_url;
    assert.deepEqual(await check({ ...group, inputs: { ...group.inputs, rules }, protect: false }), [
      `alert-rules-documented: alert rule '${rules[0].name}' has no 'runbook_url' annotation`,
      `prod-resources-protected: ${GRAFANA_TYPES.ruleGroup} in stack 'prod' is not protected: set websocket-monitoring:protect to "true" in Pulumi.prod.yaml`,
    ]);

    const dashboard = resources.find((r) => r.type === GRAFANA_TYPES.dashboard)!;
    const configJson = stableJson({ ...buildDashboard(settingsOf(STACK)), refresh: "15s" });
    assert.deepEqual(await check({ ...dashboard, inputs: { ...dashboard.inputs, configJson } }), [
      "dashboard-refresh-not-faster-than-scrape: dashboard refresh 15s is faster than the scrape interval (30s)",
    ]);
  });
});
