/** `npm run lint:workflows` fails, and says what to install, when a checker it needs is missing. */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { runCommand } from "../../harness/processes";
import { toolPath } from "../support/toolPath";

const PATH = toolPath(["bash", "dirname"]);
after(() => PATH.remove());

test("without shellcheck on PATH: exit 1, naming it and how to install it", async () => {
  const result = await runCommand("bash", ["scripts/lint-workflows.sh"], { env: { PATH: PATH.path, HOME: process.env.HOME } });
  assert.equal(result.code, 1, result.summary);
  assert.match(result.stderr, /shellcheck is not on PATH[^]*apt-get install shellcheck/);
});
