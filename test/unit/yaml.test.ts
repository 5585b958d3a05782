/** lib/yaml.ts: strings that mean something else to a YAML 1.1 reader come back as the same strings from PyYAML. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import { toYaml } from "../../lib/yaml";
import { readWithPyYaml } from "../support/pyyaml";

/** Numbers, booleans, nulls, timestamps and special keys in YAML 1.1 (and PyYAML), strings in 1.2 or not at all. */
const TRICKY = ["=", "<<", "23:00", "1:20:30", "010", "0o10", "0x1F", "0b101", "1_000", ".5", "1e3", "+.inf", ".NaN", "~", "null", "", "yes", "No", "on", "OFF", "y", "n", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "- a", "a: b", "#x", "!tag", "&anchor", "*alias", "@x", "`x"];

test("toYaml: every string reads back as itself with PyYAML (YAML 1.1) and a 1.2 reader, as a value and as a key", () => {
  const value = { values: TRICKY, keys: Object.fromEntries(TRICKY.map((s) => [s, s])) };
  const text = toYaml(value);
  assert.deepEqual(readWithPyYaml([text]), [{ docs: [value] }], text);
  assert.deepEqual(parse(text, { version: "1.2" }), value);
});
