/** A copy with object keys sorted at every level: the order Grafana hands JSON back in. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}

/** JSON with object keys sorted at every level: the form Grafana hands back, so diffs stay empty. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}
