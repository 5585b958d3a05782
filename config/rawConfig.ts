/**
 * A stack's config as Pulumi hands it to a program: the values of this project's namespace, by
 * bare key, each a string (lists and maps as JSON). One reader for both sources, the Pulumi
 * runtime (config/pulumi.ts) and a committed stack file (config/stackFile.ts).
 */
export const CONFIG_NAMESPACE = "websocket-monitoring";

export interface RawConfig {
  /** Values by bare key (without the namespace), as strings; lists and maps as JSON. */
  values: Record<string, string>;
  /** Bare keys that were set with `--secret`. */
  secretKeys: ReadonlySet<string>;
  /** Secret values that are Pulumi outputs (a component's Args), by bare key: `values` holds a stand-in for them. */
  secretInputs?: Readonly<Record<string, unknown>>;
  /**
   * Full keys of other namespaces, which this project does not read: a provider's (`grafana:url`),
   * Pulumi's (`pulumi:…`), or this project's misspelt (`websocketmonitoring:…`), which validation refuses.
   */
  otherKeys?: readonly string[];
  /** The plain values of those other keys, by full key: what the providers read (`kubernetes:enableSecretMutable`). */
  otherValues?: Readonly<Record<string, string>>;
  /** A component's Args, not a stack's config: no problem advises a `pulumi config` command. */
  fromArgs?: boolean;
}

/** A structured value as the CLI hands it to a program: a string as it is, anything else as JSON. */
export function configText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** `raw` with `overrides` (as `--set` would give them): a value replaces a key's, `undefined` unsets it. */
export function withOverrides(raw: RawConfig, overrides: Readonly<Record<string, string | undefined>>): RawConfig {
  const values = Object.entries({ ...raw.values, ...overrides }).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return { ...raw, values: Object.fromEntries(values) };
}

/** One value as the program sees it: its text, and whether it was set with `--secret`. */
export interface RawValue {
  text: string;
  secret: boolean;
}

/** This project's keys out of a whole config by full key (`<namespace>:<key>`); `read` says what each value is. */
export function readRawConfig<T>(
  config: Record<string, T>,
  read: (value: T, key: string, fullKey: string) => RawValue,
): RawConfig & { secretKeys: Set<string>; otherKeys: string[] } {
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const otherKeys: string[] = [];
  const otherValues: Record<string, string> = {};
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [fullKey, value] of Object.entries(config)) {
    if (!fullKey.startsWith(prefix)) {
      otherKeys.push(fullKey);
      const encrypted = typeof value === "object" && value !== null && "secure" in value;
      if (!encrypted) otherValues[fullKey] = configText(value);
      continue;
    }
    const key = fullKey.slice(prefix.length);
    const { text, secret } = read(value, key, fullKey);
    values[key] = text;
    if (secret) secretKeys.add(key);
  }
  return { values, secretKeys, otherKeys, otherValues };
}
