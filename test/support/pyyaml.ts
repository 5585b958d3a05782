/**
 * Reads YAML with PyYAML's `yaml.safe_load_all` (Debian's python3-yaml, which .ci/run installs):
 * the YAML 1.1 reader that Ansible, the Python Kubernetes client and most Python tools use, and one
 * that is strict about 1.1 (`=` is its value key, which it refuses to construct). Values that JSON
 * has no type for (a timestamp read as a date) come back as "<type: repr>", so they differ visibly.
 */
import { spawnSync } from "node:child_process";

const READER = `
import json, sys
try:
    import yaml
except ImportError:
    sys.exit("PyYAML is missing: install Debian's python3-yaml (.ci/run does)")
out = []
for text in json.load(sys.stdin):
    try:
        out.append({"docs": list(yaml.safe_load_all(text))})
    except yaml.YAMLError as e:
        out.append({"error": str(e)})
print(json.dumps(out, default=lambda o: "<%s: %r>" % (type(o).__name__, o)))
`;

export type PyYamlResult = { docs: unknown[] } | { error: string };

/** Each text's documents as PyYAML reads them, or its error; one python3 process for all. */
export function readWithPyYaml(texts: readonly string[]): PyYamlResult[] {
  const run = spawnSync("python3", ["-c", READER], { input: JSON.stringify(texts), encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw new Error(`python3 did not run (${run.error.message}): install Debian's python3 and python3-yaml`);
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as PyYamlResult[];
}
