/**
 * `pulumi up` -> `pulumi destroy` -> `pulumi up` on the local platform, against real Prometheus and
 * Alertmanager processes: the LocalFile provider is driven through create -> delete -> create with
 * the inputs the program registers (the mock engine runs the real program for the e2e stack), in
 * every order the engine could create the files, reversed for the delete. Every step must succeed
 * and both processes must end up running the stack's files. Destroy leaves the processes running
 * with their loaded config, as `npm run down` is what stops them.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { alertmanagerYaml } from "../../alerts/alertmanager";
import { localFileProvider } from "../../components/localFile";
import { loadStackConfig } from "../../config/stackFile";
import { onPlatform } from "../../config/settings";
import { validateConfig } from "../../config/validate";
import { fetchWithin } from "../../harness/bounds";
import { freePort, type ServerProcess } from "../../harness/processes";
import { startAlertmanager, startPrometheus, startedTogether } from "../../harness/servers";
import { prometheusYaml } from "../../scrape/model";
import { FIXTURES_DIR } from "../../render/stackSettings";
import { reveal, runStack } from "../support/mockStack";
import { T, alertNamesOf } from "../support/stackRuns";

interface FileInputs {
  path: string;
  content: string;
  reloadUrl?: string;
  reloadProcess?: string;
  readWith?: string[];
}

/** Every order of `items`. */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe("local stack: up, destroy, up again converges with Prometheus and Alertmanager running", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), "websocket-monitoring-convergence-"));
  const started: ServerProcess[] = [];
  let files: { name: string; inputs: FileInputs }[];
  let prometheusUrl: string;
  let alertmanagerUrl: string;
  let alertNames: string[];

  before(async () => {
    const [prometheusPort, alertmanagerPort] = [await freePort(), await freePort()];
    const overrides = {
      prometheusConfigFile: path.join(dir, "prometheus", "prometheus.yml"),
      alertmanagerConfigFile: path.join(dir, "alertmanager", "alertmanager.yml"),
      prometheusPort: String(prometheusPort),
      alertmanagerPort: String(alertmanagerPort),
      prometheusUrl: `http://127.0.0.1:${prometheusPort}`,
    };
    const loaded = loadStackConfig("e2e", { placeholderSecrets: true, secrets: { webhookUrl: "http://127.0.0.1:9/alerts" } }, FIXTURES_DIR);
    const raw = { values: { ...loaded.values, ...overrides }, secretKeys: loaded.secretKeys };
    const run = await runStack("e2e", raw);
    files = run.resources.filter((r) => r.type === T.localFile).map((r) => ({ name: r.name, inputs: reveal(r.inputs) as FileInputs }));
    assert.equal(files.length, 3, "prometheus.yml, rules.yml and alertmanager.yml");

    // What `npm run up` writes before any `pulumi up`, so that the processes can start.
    const s = onPlatform(validateConfig(raw, "e2e"), "local");
    alertNames = alertNamesOf(s);
    for (const [file, content] of [[overrides.prometheusConfigFile, prometheusYaml(s)], [overrides.alertmanagerConfigFile, alertmanagerYaml(s)]]) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    const [prometheus, alertmanager] = await startedTogether(started, [
      startPrometheus(overrides.prometheusConfigFile, path.join(dir, "prometheus-data"), { port: prometheusPort }),
      startAlertmanager(overrides.alertmanagerConfigFile, path.join(dir, "alertmanager-data"), alertmanagerPort),
    ] as const);
    prometheusUrl = `http://${prometheus.address}`;
    alertmanagerUrl = `http://${alertmanager.address}`;
  });

  after(async () => {
    for (const p of started.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function createAll(order: typeof files): Promise<void> {
    for (const f of order) await localFileProvider.create(f.inputs).catch((e: Error) => assert.fail(`create ${f.name}: ${e.message}`));
  }

  async function deleteAll(order: typeof files): Promise<void> {
    for (const f of order) await localFileProvider.delete!(f.inputs.path, f.inputs);
  }

  test("every create order, up -> destroy -> up: no step fails, and both processes run the stack's files", async (t) => {
    for (const order of permutations(files)) {
      t.diagnostic(`create order: ${order.map((f) => f.name).join(", ")}`);
      await createAll(order);
      await deleteAll([...order].reverse());
      await createAll(order);
    }
    const rules = (await (await fetchWithin(`${prometheusUrl}/api/v1/rules?type=alert`)).json()) as { data: { groups: { rules: { name: string }[] }[] } };
    assert.deepEqual([...new Set(rules.data.groups.flatMap((g) => g.rules.map((r) => r.name)))].sort(), alertNames.sort(), "every alert the stack deploys");
    const runtime = (await (await fetchWithin(`${prometheusUrl}/api/v1/status/runtimeinfo`)).json()) as { data: { reloadConfigSuccess: boolean } };
    assert.equal(runtime.data.reloadConfigSuccess, true, "Prometheus' last reload succeeded");
    const status = (await (await fetchWithin(`${alertmanagerUrl}/api/v2/status`)).json()) as { config: { original: string } };
    assert.match(status.config.original, /websocket-e2e-critical/);
  });

  test("a reload that Prometheus refuses names Prometheus and what to do; one nobody answers names who should", async () => {
    const scrape = files.find((f) => f.inputs.reloadProcess === "Prometheus" && f.inputs.path.endsWith("prometheus.yml"))!.inputs;
    await assert.rejects(
      localFileProvider.update!(scrape.path, scrape, { ...scrape, content: "scrape_configs: [oops\n" }),
      /but Prometheus refused to reload it \(POST .*HTTP 500: .*\); it keeps running with its previous configuration: fix what it names/,
    );
    await localFileProvider.update!(scrape.path, scrape, scrape);
    const routing = files.find((f) => f.inputs.reloadProcess === "Alertmanager")!.inputs;
    const nobody = `http://127.0.0.1:${await freePort()}/-/reload`;
    await assert.rejects(
      localFileProvider.update!(routing.path, routing, { ...routing, reloadUrl: nobody }),
      (e: Error) => e.message.includes(`but Alertmanager does not answer at ${nobody} (`) && /ECONNREFUSED.*Start it \('npm run up' starts Prometheus and Alertmanager/.test(e.message),
    );
  });
});
