/**
 * promtool on the rendered files: the unit tests in this directory (*.test.yml) against the rules
 * of the test stack test/fixtures/Pulumi.rules.yaml, those of services/ against the two-service
 * stack test/fixtures/Pulumi.services.yaml, `promtool check rules`, and `promtool check config`
 * on the rendered scrape.yml of every committed stack and fixture.
 */
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { parse, stringify } from "yaml";
import { PROJECT_DIR, stackNames } from "../../config/stackFile";
import { RENDERED, writeRenderedFiles } from "../../render/renderedFiles";
import { FIXTURES_DIR, servicesFromStackFile } from "../../render/stackSettings";
import { runCommand } from "../../harness/processes";
import { writeRuleTestFiles } from "../support/ruleTestFiles";
import { tempDir } from "../../harness/tempDir";

const ruleTests = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".test.yml")).sort();

async function promtool(...args: string[]): Promise<void> {
  const result = await runCommand("promtool", args);
  assert.equal(result.code, 0, result.summary);
}

/** A folder of its own for `name`'s files, removed at exit. */
const scratch = (name: string) => tempDir(`websocket-monitoring-${name}-`);

/** The promtool tests in `testDir` against the rules rendered for `stack`, each run concurrently: promtool is a process of its own per file, and the objectives' files take the longest. */
function rulesUnderPromtool(stack: string, testDir: string): void {
  describe(`alert rules of the ${stack} stack under promtool`, { concurrency: true }, () => {
    let prometheusDir: string;

    before(async () => {
      const out = scratch(stack);
      writeRenderedFiles(servicesFromStackFile(stack, {}, FIXTURES_DIR), out);
      prometheusDir = path.join(out, path.dirname(RENDERED.rules));
      // The test files name their rule files relative to themselves.
      writeRuleTestFiles(readFileSync(path.join(out, RENDERED.rules), "utf8"), prometheusDir);
      for (const file of ruleTests(testDir)) copyFileSync(path.join(testDir, file), path.join(prometheusDir, file));
    });

    test("promtool check rules", () => promtool("check", "rules", path.join(prometheusDir, "rules.yml")));

    for (const file of ruleTests(testDir)) {
      test(`promtool test rules ${file}`, () => promtool("test", "rules", path.join(prometheusDir, file)));
    }
  });
}

rulesUnderPromtool("rules", __dirname);
rulesUnderPromtool("services", path.join(__dirname, "services"));

/** Debian builds Prometheus without Kubernetes service discovery; the upstream promtool has it. */
async function promtoolKnowsKubernetesSd(dir: string): Promise<boolean> {
  const probe = path.join(dir, "kubernetes-sd-probe.yml");
  writeFileSync(probe, stringify({ scrape_configs: [{ job_name: "probe", kubernetes_sd_configs: [{ role: "endpoints" }] }] }));
  const result = await runCommand("promtool", ["check", "config", probe]);
  return !/kubernetes_sd_configs not found/.test(result.stdout + result.stderr);
}

/** The same config with each Kubernetes discovery block replaced by a static target. */
function withoutKubernetesSd(configFile: string): string {
  const config = parse(readFileSync(configFile, "utf8")) as { scrape_configs: Record<string, unknown>[] };
  for (const job of config.scrape_configs) {
    if (!job.kubernetes_sd_configs) continue;
    delete job.kubernetes_sd_configs;
    job.static_configs = [{ targets: ["kubernetes-sd.invalid:80"] }];
  }
  const file = configFile.replace(/\.yml$/, ".static-sd.yml");
  writeFileSync(file, stringify(config));
  return file;
}

describe("promtool check config on the rendered scrape.yml", { concurrency: true }, () => {
  const stacks = [
    ...stackNames().map((name) => ({ name, dir: PROJECT_DIR })),
    ...stackNames(FIXTURES_DIR).map((name) => ({ name, dir: FIXTURES_DIR })),
  ];
  let kubernetesSd: Promise<boolean>;
  before(() => (kubernetesSd = promtoolKnowsKubernetesSd(scratch("sd-probe"))));

  for (const stack of stacks) {
    test(`stack ${stack.name}`, async (t) => {
      const out = scratch(stack.name);
      writeRenderedFiles(servicesFromStackFile(stack.name, {}, stack.dir), out);
      const configFile = path.join(out, RENDERED.scrapeConfig);
      const usesKubernetesSd = readFileSync(configFile, "utf8").includes("kubernetes_sd_configs");
      if (usesKubernetesSd && !(await kubernetesSd)) {
        t.diagnostic("this promtool lacks Kubernetes discovery (Debian build): checked with kubernetes_sd_configs replaced by a static target");
        await promtool("check", "config", withoutKubernetesSd(configFile));
      } else {
        await promtool("check", "config", configFile);
      }
    });
  }
});
