/**
 * Cloudflare's pint on every rendered rule file (`prometheus/rules.yml` of each committed stack
 * with either alert engine, and of each fixture stack, the two-service one among them), offline,
 * with the project's .pint.hcl: no Bug, no Warning. Its online checks run against the end-to-end
 * Prometheus (test/e2e/prometheus.test.ts).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, test } from "node:test";
import { parse } from "yaml";
import { RENDERED } from "../../render/renderedFiles";
import { toYaml } from "../../lib/yaml";
import { pintLint } from "../support/pint";
import { renderForm, renderedStackForms } from "../support/renderedStacks";

const root = mkdtempSync(path.join(tmpdir(), "websocket-monitoring-pint-"));
after(() => rmSync(root, { recursive: true, force: true }));

describe("pint --offline lint on every rendered rule file", { concurrency: true }, () => {
  for (const form of renderedStackForms())
    test(form.name, async () => {
      const run = await pintLint(path.join(renderForm(form, root), RENDERED.rules));
      assert.deepEqual([run.code, run.problems], [0, []], run.summary);
    });

  test("fails on a Warning and on a Bug: a recording read from another group (only the objectives' own 5m one is ignored), a template label the query drops", async () => {
    const file = path.join(renderForm(renderedStackForms()[0], root), RENDERED.rules);
    const rules = parse(readFileSync(file, "utf8")) as { groups: unknown[] };
    rules.groups.push({
      name: "broken",
      rules: [
        { record: "reader:slo_error:ratio", expr: "max(slo:sli_error:ratio_rate30m)" },
        { alert: "Broken", expr: "sum(up) == 0", annotations: { summary: "{{ $labels.instance }} is down" } },
      ],
    });
    writeFileSync(file, toYaml(rules));
    const run = await pintLint(file);
    assert.equal(run.code, 1, run.summary);
    assert.deepEqual([...new Set(run.problems)].sort(), [
      "Bug: template uses non-existent label (alerts/template)",
      "Warning: rule uses metric produced by a recording rule from a different group (rule/dependency)",
    ], run.summary);
  });
});
