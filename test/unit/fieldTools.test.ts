/** Where the tests find dashboard-linter and pint, and what they say (and `.ci/run` with them) when one is nowhere. */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, test } from "node:test";
import { runCommand, tsNodeArgs } from "../../harness/processes";
import { fieldTool } from "../support/fieldTools";

const root = mkdtempSync(path.join(tmpdir(), "websocket-monitoring-field-tools-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** An executable file at `file`. */
function tool(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, "#!/bin/sh\n");
  chmodSync(file, 0o755);
  return file;
}

describe("the field's linters: DASHBOARD_LINTER or PINT, then PATH, then ../shared/tools/", () => {
  const checkout = path.join(root, "checkout");
  const bin = path.join(root, "bin");
  const shared = tool(path.join(root, "shared", "tools", "pint"));
  const onPath = tool(path.join(bin, "pint"));
  const named = tool(path.join(root, "elsewhere", "my-pint"));

  test("the variable first, then PATH, then ../shared/tools beside the checkout", () => {
    assert.equal(fieldTool("pint", { PINT: named, PATH: bin }, checkout), named);
    assert.equal(fieldTool("pint", { PATH: bin }, checkout), onPath);
    assert.equal(fieldTool("pint", { PATH: "" }, checkout), shared);
  });

  test("a variable that names no executable: said, not passed over", () => {
    assert.throws(() => fieldTool("pint", { PINT: path.join(root, "nope"), PATH: bin }, checkout), /^Error: PINT=.*nope: no executable there\. Point PINT at the pint binary/);
  });

  test("nowhere: names each place looked and how to install it", () => {
    assert.throws(
      () => fieldTool("dashboard-linter", { PATH: bin }, checkout),
      /dashboard-linter not found: DASHBOARD_LINTER is not set, it is not on PATH, and there is no .*shared\/tools\/dashboard-linter\. Install it from .*github\.com\/grafana\/dashboard-linter\/releases/,
    );
  });

  test(".ci/run's check (scripts/field-tools.ts): exit 1 with the message when one is missing", async () => {
    const result = await runCommand(process.execPath, tsNodeArgs("scripts/field-tools.ts"), { env: { ...process.env, PINT: path.join(root, "nope") } });
    assert.equal(result.code, 1, result.summary);
    assert.match(result.stderr, /PINT=.*nope: no executable there/);
  });
});
