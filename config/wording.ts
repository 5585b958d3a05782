/** The words of config problems: a key's full name, what it accepts, and the key a typo meant. */
import { CONFIG_NAMESPACE } from "./rawConfig";
import { describeSeconds } from "./duration";
import { SCHEMA, type ConfigKey, type KeySpec } from "./schema";
import { Secret } from "../lib/secret";

/** A key as `pulumi config` shows it, with the namespace. */
export function fullName(key: string): string {
  return `${CONFIG_NAMESPACE}:${key}`;
}

/** `<namespace>:<key> = "<value>": <problem>`; a secret's value is never shown. */
export function aboutValue(key: ConfigKey, value: string | number | Secret, problem: string): string {
  return `${fullName(key)} = ${value instanceof Secret ? "(secret value hidden)" : `"${value}"`}: ${problem}`;
}

/** What a key accepts, in words: the "allowed" half of every message. */
export function allowedText(spec: KeySpec): string {
  const range = (fmt: (n: number) => string) =>
    spec.min !== undefined && spec.max !== undefined ? ` from ${fmt(spec.min)} to ${fmt(spec.max)}` : "";
  const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ");
  switch (spec.kind) {
    case "enum":
      return `one of ${quoted(spec.values ?? [])}`;
    case "boolean":
      return "true or false";
    case "integer":
      return `a whole number${range(String)}`;
    case "number":
      return `a number${range(String)}`;
    case "duration":
      return `a duration such as 30s, 5m, 1h${range(describeSeconds)}`;
    case "url":
      return "an http(s) URL";
    case "list":
      return `a JSON list of ${spec.values ? quoted(spec.values) : spec.patternDoc ?? "strings"}`;
    case "map":
      return 'a JSON object of label names to string values, e.g. {"app":"websocket"}';
    case "services":
      return 'a list of objects, each with a name and per-service keys, e.g. [{"name":"chat","targets":["chat:8080"]}]';
    case "string":
      return spec.patternDoc ?? "a non-empty string";
  }
}

/**
 * Whether a key's namespace looks like a misspelling of this project's: the same letters and digits
 * (`websocket_monitoring`), within 3 edits of them (`websocket-monitorng`), or one of its words
 * (`websocket`). Providers' and Pulumi's namespaces (`grafana`, `kubernetes`, `docker`, `pulumi`) are not.
 */
export function nearMissNamespace(namespace: string): boolean {
  const letters = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
  const [given, ours] = [letters(namespace), letters(CONFIG_NAMESPACE)];
  if (namespace === CONFIG_NAMESPACE || given.length < 5) return false;
  return editDistance(given, ours) <= 3 || ours.includes(given) || given.includes(ours);
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/** ` Did you mean '<key>'?` for the nearest known key, when it is near enough to be a typo; else "". */
export function didYouMean(key: string): string {
  const best = SCHEMA.map((s) => ({ key: s.key, d: editDistance(key.toLowerCase(), s.key.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 3 ? ` Did you mean '${best.key}'?` : "";
}
