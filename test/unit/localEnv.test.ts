/**
 * `npm run up` validates Pulumi.local.yaml with scripts/local-env.ts, `npm run render` with
 * scripts/renderCommand.ts: one validation, one answer. Each case runs the real local-env script
 * (in a scratch directory, where a valid config writes its files) on a changed copy of the stack
 * file and the render command on the same copy.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { parse, stringify } from "yaml";
import { PROJECT_DIR } from "../../config/stackFile";
import { CONFIG_NAMESPACE } from "../../config/validate";
import { runCommand } from "../../harness/processes";
import { renderCommand } from "../../scripts/renderCommand";
import { tempDir } from "../../harness/tempDir";

const TSX = path.join(PROJECT_DIR, "node_modules", ".bin", "tsx");
const scratch = tempDir("websocket-monitoring-local-env-");

/** A directory with Pulumi.local.yaml, `changes` set in it (full keys: a namespace of its own). */
function localStackWith(name: string, changes: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(scratch, `${name}-`));
  const doc = parse(readFileSync(path.join(PROJECT_DIR, "Pulumi.local.yaml"), "utf8")) as { config: Record<string, unknown> };
  for (const [key, value] of Object.entries(changes)) doc.config[key.includes(":") ? key : `${CONFIG_NAMESPACE}:${key}`] = value;
  writeFileSync(path.join(dir, "Pulumi.local.yaml"), stringify(doc));
  return dir;
}

/** What `npm run up` and `npm run render` answer for the stack in `dir`: exit code and message. */
async function answers(dir: string) {
  // As scripts/local.sh runs it, but in `dir`: a valid config's files go to its .local/.
  const up = await runCommand(TSX, [path.join(PROJECT_DIR, "scripts/local-env.ts"), "--webhook-port", "9099", "--stack-dir", dir], { cwd: dir });
  const render = renderCommand(["--stack", "local", "--stack-dir", dir, "--out", path.join(dir, "out")]);
  return { up: { code: up.code, message: up.stderr }, render: { code: render.code, message: render.stderr } };
}

describe("npm run up and npm run render: one validation, one answer", { concurrency: true }, () => {
  test("the committed local stack: both accept it", async () => {
    const { up, render } = await answers(localStackWith("committed", {}));
    assert.deepEqual([up.code, render.code], [0, 0], `${up.message}${render.message}`);
  });

  for (const key of ["webhookUrl", "heartbeatUrl"]) {
    test(`a plain-text ${key}: both refuse it, with the same single problem`, async () => {
      const { up, render } = await answers(localStackWith(`plain-${key}`, { [key]: `http://127.0.0.1:9099/${key}` }));
      assert.deepEqual([up.code, render.code], [1, 1], `up: ${up.message}\nrender: ${render.message}`);
      assert.equal(up.message, render.message);
      assert.match(render.message, new RegExp(`^Invalid configuration for stack 'local' \\(1 problem\\):\\n  - ${CONFIG_NAMESPACE}:${key}: must be a secret`));
    });
  }
});
