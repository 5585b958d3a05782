/**
 * A stack's config as Pulumi hands it to a program: the values of this project's namespace, by
 * bare key, each a string (lists and maps as JSON).
 */
export const CONFIG_NAMESPACE = "websocket-monitoring";

export interface RawConfig {
  /** Values by bare key (without the namespace), as strings; lists and maps as JSON. */
  values: Record<string, string>;
  /** Bare keys that were set with `--secret`. */
  secretKeys: ReadonlySet<string>;
}
