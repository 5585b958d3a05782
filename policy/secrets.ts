/**
 * Whether contact point credentials reach the engine as Pulumi secrets. A plain value would be
 * stored unencrypted in the state's inputs, even though Grafana redacts it in its API.
 *
 * The policy SDK hides secretness from validations: they get every value unwrapped. Only a
 * remediation sees it: its `args.props` is a proxy over the raw properties, in which each secret
 * is a `Secret` (from @pulumi/policy) at the place the engine marked. The proxy's only traps are
 * `get` (which unwraps) and `set`, so `Object.getOwnPropertyDescriptor` reaches the raw values.
 */
import { Secret } from "@pulumi/policy";

/** Credential fields of each integration list of grafana:alerting/contactPoint:ContactPoint. */
const CONTACT_POINT_CREDENTIALS: Record<string, readonly string[]> = {
  slacks: ["url", "token"],
  webhooks: ["url", "basicAuthPassword", "authorizationCredentials"],
  pagerduties: ["integrationKey"],
  opsgenies: ["apiKey"],
  teams: ["url"],
  discords: ["url"],
  googlechats: ["url"],
  telegrams: ["token"],
};

/** What the engine sends for a value not known during preview: not plain text. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The raw value of a property, secrets still wrapped, whether `props` is the SDK's proxy or not. */
function raw(props: unknown, key: string | number): unknown {
  if (props === null || typeof props !== "object") return undefined;
  return Object.getOwnPropertyDescriptor(props, key)?.value;
}

/** Unwraps a `Secret`, telling whether it was one. */
function open(value: unknown): [unknown, boolean] {
  return value instanceof Secret ? [value.value, true] : [value, false];
}

/** Paths (`webhooks[0].url`) of the credentials in a contact point's properties that are not secrets. */
export function plainCredentials(props: unknown): string[] {
  return Object.entries(CONTACT_POINT_CREDENTIALS).flatMap(([list, fields]) => {
    const [items, listSecret] = open(raw(props, list));
    if (!Array.isArray(items)) return [];
    return items.flatMap((entry, i) => {
      const [item, itemSecret] = open(entry);
      return fields.flatMap((field) => {
        const [value, fieldSecret] = open(raw(item, field));
        const plain = typeof value === "string" && value !== "" && value !== UNKNOWN;
        return plain && !(listSecret || itemSecret || fieldSecret) ? [`${list}[${i}].${field}`] : [];
      });
    });
  });
}
