/** README says what the dashboard shows: its opening list and the rows table of "The dashboard" name every row, in order. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { buildDashboard } from "../../dashboards/websocket";
import { settingsFromStackFile } from "../../render/stackSettings";

const readme = readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
const rows = (buildDashboard(settingsFromStackFile("local")).panels as { type: string; title: string }[]).filter((p) => p.type === "row").map((p) => p.title);

describe("README and the dashboard's rows", () => {
  test("the dashboard has the rows README names", () => {
    assert.deepEqual(rows, ["Connections", "Service levels", "Connection churn and traffic", "WebSocket layer", "Scrape and health", "Saturation"]);
  });

  test("the opening list names every row, in order", () => {
    const bullet = readme.split("\n").find((l) => l.startsWith("- the **dashboard**"));
    assert.ok(bullet, "no '- the **dashboard**' bullet");
    const named = [...bullet.matchAll(/\*([A-Z][^*]+)\*/g)].map((m) => m[1]).filter((t) => rows.includes(t));
    assert.deepEqual(named, rows);
  });

  test("the rows table of 'The dashboard' lists every row, in order", () => {
    const section = readme.slice(readme.indexOf("## The dashboard"), readme.indexOf("\n## ", readme.indexOf("## The dashboard") + 1));
    const table = section.slice(section.indexOf("| row | panels"));
    const listed = [...table.matchAll(/^\| ([^|`]+?) \|/gm)].map((m) => m[1]).filter((t) => t !== "row" && !t.startsWith("---"));
    assert.deepEqual(listed.slice(0, rows.length), rows);
  });
});
