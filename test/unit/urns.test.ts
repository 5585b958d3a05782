/**
 * `pulumi up` of an existing stack after a change of the program must plan no replacement and no
 * delete: every URN a committed stack had (test/golden/<stack>.urns.txt) is still there, as the
 * URN of a resource or as one of its aliases (its own, or inherited from a parent that moved), and
 * no real object is new (a new component resource creates nothing).
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { stackNames } from "../../config/stackFile";
import type { Registered } from "../support/mockStack";
import { run } from "../support/stackRuns";

const GOLDEN_DIR = path.join(__dirname, "..", "golden");

/** The URN of `type`/`name` under a parent whose URN is `parentUrn`: the parent's type chain, then the type. */
function childUrn(parentUrn: string, type: string, name: string): string {
  const [prefix, typeChain] = parentUrn.split("::").slice(0, 3).reduce<[string, string]>((acc, part, i) => (i < 2 ? [`${acc[0]}${part}::`, ""] : [acc[0], part]), ["", ""]);
  return `${prefix}${typeChain}$${type}::${name}`;
}

/** Every URN the engine would take as this resource: its own, its aliases, and those its parents' aliases give it. */
function knownAs(resources: Registered[]): Map<string, Set<string>> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const memo = new Map<string, Set<string>>();
  const of = (r: Registered): Set<string> => {
    if (!memo.has(r.urn)) {
      const parent = r.parentUrn ? byUrn.get(r.parentUrn) : undefined;
      const inherited = parent ? [...of(parent)].filter((u) => u !== parent.urn).map((u) => childUrn(u, r.type, r.name)) : [];
      memo.set(r.urn, new Set([r.urn, ...r.aliases, ...inherited]));
    }
    return memo.get(r.urn)!;
  };
  return new Map(resources.map((r) => [r.urn, of(r)]));
}

describe("URNs of every committed stack", () => {
  for (const stack of stackNames()) {
    test(`${stack}: every URN of test/golden/${stack}.urns.txt is a resource's URN or alias, and no resource is new (UPDATE_GOLDEN=1 to accept a change)`, async () => {
      const r = await run(stack);
      const file = path.join(GOLDEN_DIR, `${stack}.urns.txt`);
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, r.resources.map((x) => x.urn).sort().join("\n") + "\n");
      const before = readFileSync(file, "utf8").trim().split("\n");
      const names = knownAs(r.resources);
      const covered = new Set([...names.values()].flatMap((s) => [...s]));
      assert.deepEqual(before.filter((u) => !covered.has(u)), [], "URNs of the stack's state that no resource takes over: pulumi up would delete them");
      const known = new Set(before);
      // New components are free: only real objects (custom resources) would be created anew.
      const component = (urn: string) => urn.split("::")[2].split("$").at(-1)!.startsWith("websocket-monitoring:index:");
      const fresh = [...names].filter(([urn, as]) => !component(urn) && ![...as].some((u) => known.has(u))).map(([urn]) => urn);
      assert.deepEqual(fresh, [], "resources that would be created anew");
    });
  }
});
