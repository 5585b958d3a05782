import { Document, Scalar, parse, visit } from "yaml";

const MERGE_TAG = "tag:yaml.org,2002:merge";

/**
 * Whether a string written plain would read as something else: `=` and `<<`, YAML 1.1's value and
 * merge keys (PyYAML's safe_load refuses to construct `=`, an AlertmanagerConfig's `matchType: =`),
 * or a scalar that YAML 1.2's core schema takes for a number or null (`0o10`), which the 1.1 rules
 * the `yaml` package writes with leave plain. Strings that would not read as a scalar (`[x]`, `a: b`),
 * over several lines or with spaces at an end are the package's to quote or fold.
 */
function readsAsOther(text: string): boolean {
  if (text === "=" || text === "<<") return true;
  if (!/^\S(.*\S)?$/.test(text)) return false;
  try {
    const read: unknown = parse(text, { version: "1.2" });
    return read === null || typeof read === "number" || typeof read === "boolean";
  } catch {
    return false; // not a plain scalar at all: the package quotes it
  }
}

/**
 * YAML that every reader parses back to the same values. Written with YAML 1.1's rules, so a
 * string that a 1.1 reader (PyYAML, Ansible, the Python Kubernetes client, Go's yaml.v2) would
 * take for a number, a boolean or one of its keys is quoted: `endTime: "23:00"`, not sexagesimal
 * 1380; `matchType: "="`. test/unit/render.test.ts reads every rendered file with PyYAML.
 */
export function toYaml(value: unknown): string {
  // No anchors and aliases for repeated objects (rule labels): every file reads on its own. Without
  // the merge tag, `<<` is a string like any other, which the visit below quotes.
  const doc = new Document(value, { version: "1.1", aliasDuplicateObjects: false, customTags: (tags) => tags.filter((t) => typeof t === "string" || t.tag !== MERGE_TAG) });
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === "string" && readsAsOther(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0 });
}
