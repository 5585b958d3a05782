/**
 * scripts/ci/render-diff.sh, the PR's render diff comment: each changed file says whether the stack
 * deploys it. Run on two stand-in checkouts whose `npm run render` copies prepared files (what the
 * real render writes, DEPLOYMENT.txt included, is test/unit/render.test.ts's).
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { PROJECT_DIR } from "../../config/stackFile";
import { DEPLOYMENT_FILE } from "../../render/deployment";
import { runCommand } from "../../harness/processes";
import { tempDir } from "../../harness/tempDir";

const scratch = tempDir("websocket-monitoring-render-diff-");

/** A checkout with the stack prod whose render writes `files` (path -> content). */
function checkout(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, "rendered", file)), { recursive: true });
    writeFileSync(path.join(dir, "rendered", file), content);
  }
  mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config: {}\n");
  const copy = `const [, , , , , out] = process.argv; require("node:fs").cpSync("rendered", out, { recursive: true });`;
  writeFileSync(path.join(dir, "render.js"), copy);
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: name, private: true, scripts: { render: "node render.js" } }));
  return dir;
}

test("the comment lists each changed file with what the stack deploys of it", async () => {
  const index = (lines: string[]) => `# What stack 'prod' deploys of each file here (npm run render)\n${lines.join("\n")}\n`;
  const base = checkout("base", {
    "prometheus/rules.yml": "groups: []\n",
    "grafana/old.json": "{}\n",
    [DEPLOYMENT_FILE]: index(["prometheus/rules.yml: not deployed: with alertEngine grafana, Grafana evaluates these alerts", "grafana/old.json: deployed to the Grafana at https://g: a | b"]),
  });
  const head = checkout("head", {
    "prometheus/rules.yml": "groups: [{name: x}]\n",
    "grafana/dashboard.json": "{}\n",
    [DEPLOYMENT_FILE]: index(["prometheus/rules.yml: not deployed: with alertEngine grafana, Grafana evaluates these alerts", "grafana/dashboard.json: deployed to the Grafana at https://g: the dashboard"]),
  });
  const out = path.join(scratch, "out");
  const run = await runCommand("bash", [path.join(PROJECT_DIR, "scripts/ci/render-diff.sh"), base, head, out]);
  assert.equal(run.code, 0, run.stderr);
  const comment = readFileSync(path.join(out, "comment.md"), "utf8");
  const rows = comment.split("\n").filter((l) => l.startsWith("| prod |"));
  assert.deepEqual(rows.sort(), [
    "| prod | `grafana/dashboard.json` | deployed to the Grafana at https://g: the dashboard |",
    "| prod | `grafana/old.json` | removed; was deployed to the Grafana at https://g: a \\| b |",
    "| prod | `prometheus/rules.yml` | not deployed: with alertEngine grafana, Grafana evaluates these alerts |",
  ]);
  assert.match(comment, /````diff\n[^]*\+groups: \[\{name: x\}\]/);
});
