/** The Node versions package.json promises are ones every locked package runs on: no EBADENGINE from `npm ci`. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { PROJECT_DIR } from "../../config/stackFile";

const semver = require("semver") as { subset(sub: string, dom: string): boolean };
const readJson = (file: string) => JSON.parse(readFileSync(path.join(PROJECT_DIR, file), "utf8"));

test("package.json's engines.node lies within the engines.node of every package in package-lock.json", () => {
  const ours: string = readJson("package.json").engines.node;
  const locked = readJson("package-lock.json").packages as Record<string, { version?: string; engines?: { node?: string } }>;
  const narrower = Object.entries(locked)
    .filter(([where, p]) => where !== "" && p.engines?.node && !semver.subset(ours, p.engines.node))
    .map(([where, p]) => `${where.replace(/^.*node_modules\//, "")}@${p.version} needs node ${p.engines!.node}`);
  assert.deepEqual(narrower, [], `package.json says node ${ours}: pin versions that support it, or require what they need`);
});
