/** `npm run bench` honours --help and refuses other arguments, instead of running for minutes. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { stretched } from "../../harness/bounds";
import { runCommand, tsNodeArgs } from "../../harness/processes";

const bench = (...args: string[]) => runCommand(process.execPath, tsNodeArgs("scripts/bench.ts", ...args), { timeoutMs: stretched(60_000) });

test("--help: the usage on stdout, exit 0, nothing run", async () => {
  const result = await bench("--help");
  assert.equal(result.code, 0, result.summary);
  assert.match(result.stdout, /^usage: npm run bench /);
  assert.doesNotMatch(result.stdout, /detection latency of \w+:/);
});

test("any other argument: the usage on stderr, exit 2", async () => {
  for (const args of [["--stack", "prod"], ["extra"]]) {
    const result = await bench(...args);
    assert.equal(result.code, 2, `bench ${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, /usage: npm run bench /);
  }
});
