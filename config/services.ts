/**
 * The `services` key: one stack, many services. Each service is validated as a single-service
 * stack would be — the stack's keys, with the service's own values over them — so every check and
 * message holds per service; a message about a value the service set names it `services[i].<key>`.
 */
import { CONFIG_NAMESPACE, configText, type RawConfig } from "./rawConfig";
import { DNS_LABEL, DNS_LABEL_DOC, isConfigKey, specOf, type ConfigKey } from "./schema";
import { allowedText, didYouMean, fullName } from "./wording";
import { MAX_UID_LENGTH, dashboardUidOf } from "../lib/uids";

/** What a service may set for itself; set at the top level, each is every service's default. */
export const PER_SERVICE_KEYS: ReadonlySet<string> = new Set<ConfigKey>([
  "jobName", "healthJobName", "upgradeJobName", "upgradeProbe", "upgradeProbeModule", "metricsPath", "healthPath", "scheme", "targets", "healthUrl", "healthLinkUrl",
  "k8sServiceNamespace", "k8sServiceSelector", "k8sServicePort",
  "metricActiveConnections", "metricConnectionsTotal", "metricDisconnectionsTotal", "metricMessagesTotal", "metricConnectionDuration",
  "metricProcessCpu", "metricResidentMemory", "metricOpenFds", "metricMaxFds", "metricEventLoopLag",
  "metricUpgradesTotal", "metricHandshakeDuration", "metricClosesTotal", "metricMessageDuration", "metricConnectionLimit",
  "connectionsWarning", "connectionsMax", "aboveThresholdFor", "noConnectionsFor",
  "unstableChangeRatio", "unstableWindow", "unstableMinBaseline", "unstableFor", "serviceDownFor", "runbookBaseUrl",
  "sloAvailabilityObjective", "sloConnectionsObjective", "sloHandshakeObjective", "sloRolloutWindow",
  "operationalTimezone", "operationalDays", "operationalStart", "operationalEnd",
  "exposesUpgrades", "exposesCloseCodes", "exposesConnectionLimit", "layerWindow", "handshakeFailureRatio", "handshakeFailuresFor",
  "connectionLimitShare", "nearLimitFor", "imbalanceFactor", "imbalanceMinConnections", "imbalanceFor", "abnormalCloseRatio", "abnormalClosesFor",
]);

/** Where a service is: no default can fit two services, so with `services` these are set per service only. */
export const SERVICE_ONLY_KEYS: readonly ConfigKey[] = ["targets", "healthUrl", "healthLinkUrl", "k8sServiceSelector"];

/** The keys of SERVICE_ONLY_KEYS set at the top level of a stack with `services`: one problem each, their only one. */
export function misplacedKeys(raw: RawConfig): ConfigKey[] {
  return raw.values.services === undefined ? [] : SERVICE_ONLY_KEYS.filter((k) => raw.values[k] !== undefined);
}

/** One service's config: the stack's with the service's values over it. */
export interface ServiceConfig {
  /** Unset: the stack's one service of the top-level keys (no `services`). */
  listed?: { index: number; name: string };
  raw: RawConfig;
  /** A problem with the service's own keys named by their place in the list (`services[i].<key>`). */
  ownKeys(problem: string): string;
  /** Appended to a problem of this service's that names none of its own keys. */
  where: string;
}

const keyPattern = (key: string) => new RegExp(`${CONFIG_NAMESPACE}:${key}(?![A-Za-z0-9])`, "g");

/** The services of the stack, each with its config; problems of the list itself go to `problems`. */
export function readServices(raw: RawConfig, problems: string[]): ServiceConfig[] {
  const text = raw.values.services;
  if (text === undefined) return [{ raw, ownKeys: (p) => p, where: "" }];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || list.length === 0 || !list.every((e) => e && typeof e === "object" && !Array.isArray(e))) {
    problems.push(`${fullName("services")}: not a list of objects; allowed: ${allowedText(specOf("services"))}.`);
    return [];
  }
  for (const key of misplacedKeys(raw)) {
    const how = raw.fromArgs ? "" : ` ('pulumi config rm ${key}', then 'pulumi config set --path services[<i>].${key} <value>')`;
    problems.push(`${fullName(key)}: set per service when services is set; move it into each service${how}.`);
  }
  const stackWide = Object.fromEntries(Object.entries(raw.values).filter(([k]) => k !== "services" && !SERVICE_ONLY_KEYS.includes(k as ConfigKey)));
  const seen = new Map<string, number>();
  return (list as Record<string, unknown>[]).flatMap((entry, index) => {
    const at = (key: string) => fullName(`services[${index}].${key}`);
    const name = entry.name;
    if (typeof name !== "string" || !DNS_LABEL.test(name)) {
      problems.push(`${at("name")}${name === undefined ? ": required" : ` = ${JSON.stringify(name)}`}; allowed: ${DNS_LABEL_DOC}.`);
      return [];
    }
    const uid = dashboardUidOf(name, raw.values.uidSuffix);
    if (uid.length > MAX_UID_LENGTH) problems.push(`${at("name")} = "${name}": too long for its dashboard's uid '${uid}' (${uid.length} characters; Grafana allows ${MAX_UID_LENGTH}); shorten the name or uidSuffix.`);
    if (seen.has(name)) {
      // Not validated further: its jobs would only repeat this problem.
      problems.push(`${at("name")} = "${name}": services[${seen.get(name)}] has this name already; each service needs its own.`);
      return [];
    }
    seen.set(name, index);
    const own: Record<string, string> = {};
    for (const [key, value] of Object.entries(entry).filter(([k]) => k !== "name")) {
      if (!isConfigKey(key)) problems.push(`${at(key)}: unknown key.${didYouMean(key)}`);
      else if (!PER_SERVICE_KEYS.has(key)) {
        const how = raw.fromArgs ? "in the environment's Args" : `at the top level ('pulumi config set ${key} <value>')`;
        problems.push(`${at(key)}: set for the whole stack, not per service; set it ${how} and remove it from services[${index}].`);
      }
      else own[key] = configText(value);
    }
    const values = { ...stackWide, jobName: name, healthJobName: `${name}-health`, upgradeJobName: `${name}-upgrade`, ...own };
    return [{
      listed: { index, name },
      raw: { ...raw, values },
      ownKeys: (problem: string) => Object.keys(own).reduce((p, key) => p.replace(keyPattern(key), at(key)), problem),
      where: ` (services[${index}] '${name}')`,
    }];
  });
}

/** The jobs of a service, by the key that names each, and what each does. */
const JOB_KINDS = { jobName: "metrics", healthJobName: "health", upgradeJobName: "upgrade" } as const;

/** Problems of job names that two services (or two jobs of one) share: Prometheus would merge their series. */
export function jobNameProblems(jobs: ({ listed?: ServiceConfig["listed"] } & { [K in keyof typeof JOB_KINDS]?: string })[]): string[] {
  const owner = new Map<string, string>();
  const problems: string[] = [];
  for (const s of jobs) {
    for (const [key, kind] of Object.entries(JOB_KINDS) as [keyof typeof JOB_KINDS, string][]) {
      const where = s.listed ? `services[${s.listed.index}].${key}` : key;
      const job = s[key];
      if (job === undefined) continue; // a problem of its own already, or a job the service does not have
      const taken = owner.get(job);
      if (taken) problems.push(`${fullName(where)} = "${job}": also ${taken}; every job of the stack needs its own name.`);
      else owner.set(job, `the ${kind} job of ${s.listed ? `services[${s.listed.index}]` : "the stack"}`);
    }
  }
  return problems;
}
