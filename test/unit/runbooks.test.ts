/** Every alert's runbook link (`<runbookBaseUrl>#<alert name in lower case>`) lands on a section of docs/runbooks.md. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { ALERT_NAMES } from "../../alerts/vocabulary";

const runbooks = readFileSync(path.join(__dirname, "..", "..", "docs", "runbooks.md"), "utf8");

test("docs/runbooks.md has one anchored section per alert, and only those", () => {
  const anchors = [...runbooks.matchAll(/<a id="([^"]+)"><\/a>\n## (\S+)/g)].map(([, id, heading]) => ({ id, heading }));
  assert.deepEqual(
    anchors.map((a) => a.heading).sort(),
    Object.values(ALERT_NAMES).sort(),
  );
  for (const a of anchors) assert.equal(a.id, a.heading.toLowerCase());
});

test("each section says what it means, what it breaks, what to check and do, and whom to call", () => {
  const sections = runbooks.split(/^<a id=/m).slice(1);
  for (const section of sections)
    for (const part of ["**Meaning.**", "**Impact.**", "**First checks.**", "**Mitigation.**", "**Escalation.**", "```promql"])
      assert.ok(section.includes(part), `${section.split("\n")[1]} lacks ${part}`);
});
