import { stringify } from "yaml";

/**
 * YAML that every reader parses back to the same values. Written with YAML 1.1's rules, so a
 * string that a 1.1 reader (PyYAML, Ansible, the Python Kubernetes client, Go's yaml.v2) would
 * take for a number or a boolean is quoted: `endTime: "23:00"`, not sexagesimal 1380.
 */
export function toYaml(value: unknown): string {
  // No anchors and aliases for repeated objects (rule labels): every file reads on its own.
  return stringify(value, { lineWidth: 0, version: "1.1", aliasDuplicateObjects: false });
}
