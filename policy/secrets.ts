/**
 * Whether receiver credentials reach the engine as Pulumi secrets, in every form they take: a
 * Grafana contact point's fields, an alertmanager.yml (the local LocalFile, the docker
 * Alertmanager container's upload), and the Kubernetes Secret the AlertmanagerConfig reads. A
 * plain value would be stored unencrypted in the state's inputs.
 *
 * The policy SDK hides secretness from validations: they get every value unwrapped. Only a
 * remediation sees it: its `args.props` is a proxy over the raw properties, in which each secret
 * is a `Secret` (from @pulumi/policy) at the place the engine marked. The proxy's only traps are
 * `get` (which unwraps) and `set`, so `Object.getOwnPropertyDescriptor` reaches the raw values.
 */
import { Secret } from "@pulumi/policy";
import { RECEIVER_SECRET_KEYS } from "../alerts/kubernetes";
import { yamlWithList } from "./alertForms";
import { FILE_TYPES, GRAFANA_TYPES } from "./types";

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
function plainContactPointCredentials(props: unknown): string[] {
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

/** Fields of an alertmanager.yml receiver's integrations that hold a credential. */
const ALERTMANAGER_CREDENTIALS = ["api_url", "url", "auth_password", "routing_key", "service_key", "api_key"];

/** Whether an alertmanager.yml text holds any credential in plain text (global SMTP password, or a receiver's URL or key). */
function alertmanagerFileHasCredentials(text: unknown): boolean {
  const config = yamlWithList<{ global?: Record<string, unknown>; receivers: Record<string, unknown>[] }>(text, "receivers");
  if (!config) return false;
  const integrations = config.receivers.flatMap((r) => Object.entries(r).filter(([k]) => k.endsWith("_configs")).flatMap(([, list]) => (Array.isArray(list) ? list : [])));
  return Boolean(config.global?.smtp_auth_password) || integrations.some((i) => ALERTMANAGER_CREDENTIALS.some((field) => typeof i?.[field] === "string" && i[field] !== ""));
}

/** `content` of a LocalFile, or `uploads[i].content` of a container, that is an alertmanager.yml with credentials and not a secret. */
function plainAlertmanagerFiles(type: string, props: unknown): string[] {
  if (type === FILE_TYPES.localFile) {
    const [content, secret] = open(raw(props, "content"));
    return !secret && alertmanagerFileHasCredentials(content) ? ["content"] : [];
  }
  const [uploads, listSecret] = open(raw(props, "uploads"));
  if (listSecret || !Array.isArray(uploads)) return [];
  return uploads.flatMap((entry, i) => {
    const [upload, itemSecret] = open(entry);
    const [content, contentSecret] = open(raw(upload, "content"));
    return !itemSecret && !contentSecret && alertmanagerFileHasCredentials(content) ? [`uploads[${i}].content`] : [];
  });
}

/** Keys of the receivers' Kubernetes Secret whose values are not secrets. */
function plainReceiverSecretKeys(props: unknown): string[] {
  const [data, dataSecret] = open(raw(props, "stringData"));
  if (dataSecret || !data || typeof data !== "object") return [];
  const credentialKeys: readonly string[] = Object.values(RECEIVER_SECRET_KEYS);
  return Object.keys(data).filter((key) => credentialKeys.includes(key) && !open(raw(data, key))[1]).map((key) => `stringData.${key}`);
}

/** Paths of the receiver credentials in a resource's properties that are not Pulumi secrets. */
export function plainCredentials(type: string, props: unknown): string[] {
  switch (type) {
    case GRAFANA_TYPES.contactPoint:
      return plainContactPointCredentials(props);
    case FILE_TYPES.localFile:
    case FILE_TYPES.container:
      return plainAlertmanagerFiles(type, props);
    case FILE_TYPES.kubernetesSecret:
      return plainReceiverSecretKeys(props);
    default:
      return [];
  }
}

/** The types whose credentials plainCredentials checks. */
export const CREDENTIAL_TYPES: readonly string[] = [GRAFANA_TYPES.contactPoint, FILE_TYPES.localFile, FILE_TYPES.container, FILE_TYPES.kubernetesSecret];
