/**
 * The layout README's table states, kept so: from the bottom lib/, config/, the models, components/,
 * the entry points; no module imports from a layer above its own, and no import circle anywhere
 * among them. The vocabulary sits below the models that share it (alerts/vocabulary.ts, and
 * dashboards/ids.ts, which knows no alert). Hand-written files stay short; the generated ones say so.
 * The imports are read with TypeScript's own pre-processor, as the compiler finds them.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import * as ts from "typescript";
import { PROJECT_DIR } from "../../config/stackFile";

/** From the bottom; a folder (or file) of the project in each. */
const LAYERS: readonly (readonly [string, readonly string[]])[] = [
  ["lib", ["lib"]],
  ["config", ["config"]],
  ["models", ["alerts", "slo", "dashboards", "promql", "scrape", "preflight", "policy", "render", "service"]],
  ["components", ["components"]],
  ["entry points", ["index.ts", "scripts", "provider", "examples"]],
];
/** The leaves of the models: what they may not import. */
const LEAVES: Record<string, RegExp> = { "alerts/vocabulary.ts": /^(alerts|slo|dashboards)\//, "dashboards/ids.ts": /^alerts\// };
/** Files a generator writes (their first line says so) and the schema's data table may be longer. */
const LONGEST_HAND_WRITTEN = 230;
const LONG_TABLES = new Set(["config/schema.ts"]);

const layerOf = (file: string) => LAYERS.findIndex(([, roots]) => roots.some((r) => file === r || file.startsWith(`${r}/`)));

function tsFiles(relative: string): string[] {
  const at = path.join(PROJECT_DIR, relative);
  if (!existsSync(at)) return [];
  if (statSync(at).isFile()) return relative.endsWith(".ts") ? [relative] : [];
  return readdirSync(at).flatMap((entry) => (entry === "node_modules" ? [] : tsFiles(path.join(relative, entry))));
}

const FILES = LAYERS.flatMap(([, roots]) => roots.flatMap(tsFiles));
/** Each file's imports of the project's own modules, as project paths. */
const IMPORTS = new Map(
  FILES.map((file) => {
    const found = ts.preProcessFile(readFileSync(path.join(PROJECT_DIR, file), "utf8"), true, true).importedFiles.map((i) => i.fileName);
    const own = found.filter((name) => name.startsWith(".")).map((name) => path.normalize(path.join(path.dirname(file), name)));
    return [file, own.map((m) => (FILES.includes(`${m}.ts`) ? `${m}.ts` : `${m}/index.ts`)).filter((m) => FILES.includes(m))];
  }),
);

/** Every import circle, each as the files around it (strongly connected components of more than one file, or a file importing itself). */
function circles(): string[][] {
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], onStack = new Set<string>(), found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of IMPORTS.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1 || IMPORTS.get(v)!.includes(v)) found.push(component.sort());
  };
  for (const file of FILES) if (!index.has(file)) visit(file);
  return found;
}

describe("the layers of the code (README, Layout)", () => {
  test("every file of the project's code is in a layer, and the check reads them all", () => {
    assert.ok(FILES.length > 80, `only ${FILES.length} files found`);
    assert.ok(IMPORTS.get("components/monitoring.ts")!.includes("alerts/definitions.ts"), "the import reader misses imports");
  });

  test("no import circle", () => {
    assert.deepEqual(circles(), []);
  });

  test("no import from a lower layer to a higher one", () => {
    const upward = [...IMPORTS].flatMap(([file, imports]) => imports.filter((m) => layerOf(m) > layerOf(file)).map((m) => `${file} (${LAYERS[layerOf(file)][0]}) imports ${m} (${LAYERS[layerOf(m)][0]})`));
    assert.deepEqual(upward, []);
  });

  test("the vocabulary is a leaf: alerts/vocabulary.ts imports no alert, objective or dashboard module; dashboards/ids.ts no alert module", () => {
    for (const [leaf, forbidden] of Object.entries(LEAVES)) assert.deepEqual(IMPORTS.get(leaf)!.filter((m) => forbidden.test(m)), [], leaf);
  });

  test(`hand-written files stay under about ${LONGEST_HAND_WRITTEN} lines; longer ones are generated and say so in their first line`, () => {
    const long = FILES.filter((file) => {
      const text = readFileSync(path.join(PROJECT_DIR, file), "utf8");
      return text.split("\n").length > LONGEST_HAND_WRITTEN && !LONG_TABLES.has(file) && !/generated/i.test(text.split("\n")[0]);
    });
    assert.deepEqual(long, []);
  });
});
