/**
 * `tsx scripts/field-tools.ts`: whether the field's linters the tests run (dashboard-linter,
 * pint) are at hand, as the tests look them up (test/support/fieldTools.ts). `.ci/run` runs it
 * before the tests: each found tool's path on stdout; exit 1 naming what is missing and how to install it.
 */
import { FIELD_TOOLS, fieldTool, type FieldTool } from "../test/support/fieldTools";

let missing = 0;
for (const tool of Object.keys(FIELD_TOOLS) as FieldTool[]) {
  try {
    process.stdout.write(`${tool}: ${fieldTool(tool)}\n`);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    missing++;
  }
}
process.exitCode = missing ? 1 : 0;
