/**
 * Rules between keys. Each is checked only where its keys parsed: a key that did not parse is
 * reported already, and has no value here.
 */
import { deliveryProblems } from "./deliveryRules";
import { describeSeconds, promDuration } from "./duration";
import { REFERENCE_PERIOD_SECONDS, SHORTEST_BURN_WINDOW_SECONDS } from "./objectiveWindows";
import type { RawConfig } from "./rawConfig";
import { givenText } from "./readValues";
import { RECEIVER_KINDS, WEEKDAYS, type ConfigKey, type Platform, type ReceiverKind } from "./schema";
import type { ParsedValues } from "./values";
import { aboutValue, fullName } from "./wording";

const PENDING_PERIODS = [
  "aboveThresholdFor", "noConnectionsFor", "unstableFor", "serviceDownFor", "sloPageFor", "sloTicketFor",
  "handshakeFailuresFor", "nearLimitFor", "imbalanceFor", "abnormalClosesFor",
] as const;
const RECEIVER_KEYS = { slack: "slackWebhookUrl", email: "emailAddresses", webhook: "webhookUrl" } as const;
/** A plain-HTTP URL that never leaves the machine (a test's or a local receiver). */
const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//;
/** Grafana's scheduler runs every 10s by default and refuses a rule group interval that is not a multiple of it. */
const GRAFANA_BASE_INTERVAL_SECONDS = 10;

/** The receiver kinds whose contact settings are set. */
export function configuredReceivers(v: ParsedValues): ReceiverKind[] {
  return RECEIVER_KINDS.filter((kind) => v[RECEIVER_KEYS[kind]] !== undefined);
}

/**
 * Whether a key was given, valid or not: a rule about a key that is there must not report it as
 * missing when its value was refused (a plain-text secret, a bad URL); that problem is reported once, on the key.
 */
function given(v: ParsedValues, raw: RawConfig, key: ConfigKey): boolean {
  return v[key] !== undefined || givenText(raw, key) !== undefined;
}

/** Problems of the scrape, refresh, threshold, evaluation and pending-period timings. */
function timingProblems(v: ParsedValues): string[] {
  const problems: string[] = [];
  const { scrapeInterval: interval, scrapeTimeout: timeout } = v;
  if (timeout && interval && timeout.seconds > interval.seconds)
    problems.push(aboutValue("scrapeTimeout", timeout.text, `allowed: at most scrapeInterval (${interval.text}).`));
  if (v.connectionsWarning !== undefined && v.connectionsMax !== undefined && v.connectionsWarning >= v.connectionsMax)
    problems.push(aboutValue("connectionsWarning", v.connectionsWarning, `allowed: less than connectionsMax (${v.connectionsMax}).`));
  const every = v.alertEvaluationInterval;
  if (every && v.alertEngine !== "prometheus" && every.seconds % GRAFANA_BASE_INTERVAL_SECONDS !== 0)
    problems.push(aboutValue("alertEvaluationInterval", every.text, `allowed with alertEngine 'grafana': a multiple of ${GRAFANA_BASE_INTERVAL_SECONDS}s (Grafana's scheduler base interval); shorter or other intervals need alertEngine 'prometheus'.`));
  const rollout = v.sloRolloutWindow;
  if (every && rollout && rollout.seconds > 0 && rollout.seconds < every.seconds)
    problems.push(aboutValue("sloRolloutWindow", rollout.text, `allowed: 0s (every refusal counts) or at least alertEvaluationInterval (${every.text}); the rules see a process start only that often.`));
  const beat = v.heartbeatInterval;
  if (every && beat && beat.seconds < every.seconds)
    problems.push(aboutValue("heartbeatInterval", beat.text, `allowed: at least alertEvaluationInterval (${every.text}); the heartbeat rule is evaluated only that often.`));
  for (const key of PENDING_PERIODS) {
    const pending = v[key];
    if (every && pending && pending.seconds % every.seconds !== 0)
      problems.push(aboutValue(key, pending.text, `allowed: a multiple of alertEvaluationInterval (${every.text}); the rules are evaluated only that often.`));
  }
  return problems;
}

function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function operationalHoursProblems(v: ParsedValues): string[] {
  const problems: string[] = [];
  if (v.operationalTimezone && !isValidTimezone(v.operationalTimezone))
    problems.push(aboutValue("operationalTimezone", v.operationalTimezone, "allowed: an IANA time zone such as UTC or Europe/Berlin."));
  if (v.operationalStart && v.operationalEnd && v.operationalStart >= v.operationalEnd)
    problems.push(aboutValue("operationalEnd", v.operationalEnd, `allowed: a time after operationalStart (${v.operationalStart}).`));
  const weekdays: readonly string[] = WEEKDAYS;
  for (const range of v.operationalDays ?? []) {
    const [from, to = from] = range.split(":");
    if (weekdays.indexOf(from) > weekdays.indexOf(to))
      problems.push(aboutValue("operationalDays", range, "allowed: a range from an earlier to a later weekday (monday first), e.g. monday:friday."));
  }
  return problems;
}

function credentialProblems(v: ParsedValues, platform: Platform): string[] {
  const problems: string[] = [];
  const { grafanaAuth: auth, slackWebhookUrl: slack } = v;
  if (auth && /\s/.test(auth.reveal()))
    problems.push(aboutValue("grafanaAuth", auth, "allowed: 'user:password' or a service account token, without spaces."));
  if (slack && !slack.reveal().startsWith("https://") && !LOOPBACK_HTTP.test(slack.reveal()))
    problems.push(aboutValue("slackWebhookUrl", slack, "allowed: an https:// Slack incoming-webhook URL (http:// only to 127.0.0.1 or localhost, a receiver on this machine)."));
  if (platform === "docker" && auth && !auth.reveal().includes(":"))
    problems.push(aboutValue("grafanaAuth", auth, "allowed on platform 'docker': 'admin:<password>', which also sets the container's admin password."));
  return problems;
}

function receiverProblems(v: ParsedValues, raw: RawConfig, platform: Platform): string[] {
  const problems: string[] = [];
  // A kind whose settings were given but refused has them all the same: its key's problem says what is wrong.
  const configured = RECEIVER_KINDS.filter((kind) => given(v, raw, RECEIVER_KEYS[kind]));
  const receiverKeys = Object.values(RECEIVER_KEYS);
  if (configured.length === 0)
    problems.push(`${receiverKeys.map(fullName).join(", ")}: none is set; allowed: at least one, so that alerts reach someone.`);
  for (const key of ["criticalReceivers", "warningReceivers"] as const) {
    const missing = (v[key] ?? []).filter((kind) => !configured.includes(kind));
    const text = givenText(raw, key);
    if (missing.length && configured.length && text !== undefined)
      problems.push(aboutValue(key, text, `allowed: only configured kinds (${configured.join(", ")}); '${missing.join("', '")}' has no contact settings.`));
  }
  const localSmtp = givenText(raw, "smtpHost");
  if (platform === "local" && v.alertEngine !== "prometheus" && localSmtp !== undefined)
    problems.push(aboutValue("smtpHost", localSmtp, "applies on platform 'local' only with alertEngine 'prometheus' (the local Alertmanager's); Grafana on local sends mail with its own SMTP settings. Remove it."));
  if (platform === "docker" && v.emailAddresses && !given(v, raw, "smtpHost"))
    problems.push(`${fullName("smtpHost")}: required on platform 'docker' when emailAddresses is set (the Grafana container must send mail); allowed: host:port.`);
  // An e-mail receiver without a smarthost of its own would lean on the shared Alertmanager's global SMTP settings;
  // where they are missing, the operator stops generating the configuration for every team.
  if (platform === "kubernetes" && v.alertEngine === "prometheus" && v.emailAddresses && !given(v, raw, "smtpHost"))
    problems.push(`${fullName("smtpHost")}: required with alertEngine 'prometheus' on platform 'kubernetes' when emailAddresses is set (the AlertmanagerConfig's e-mail receiver needs its own smarthost, or the operator refuses the whole Alertmanager configuration); allowed: host:port. Or remove emailAddresses.`);
  return problems;
}

function alertEngineProblems(v: ParsedValues, raw: RawConfig, platform: Platform): string[] {
  if (v.alertEngine !== "prometheus") return [];
  const problems: string[] = [];
  const routing = givenText(raw, "grafanaRouting");
  if (routing !== undefined)
    problems.push(aboutValue("grafanaRouting", routing, "applies only with alertEngine 'grafana'; with 'prometheus' Alertmanager routes the alerts. Remove it."));
  // prometheus-operator's AlertmanagerConfig has no time zone for its time intervals (Alertmanager's `location`).
  if (platform === "kubernetes" && v.operationalTimezone && v.operationalTimezone !== "UTC")
    problems.push(aboutValue("operationalTimezone", v.operationalTimezone, "allowed with alertEngine 'prometheus' on platform 'kubernetes': UTC only, because prometheus-operator's AlertmanagerConfig time intervals have no time zone; give the hours in UTC or use alertEngine 'grafana'."));
  if (platform === "local" && v.emailAddresses && !given(v, raw, "smtpHost"))
    problems.push(`${fullName("smtpHost")}: required with alertEngine 'prometheus' on platform 'local' when emailAddresses is set (the local Alertmanager must send mail); allowed: host:port.`);
  return problems;
}

/** An objective of 0 or 100 % leaves no budget, or all of it; the shortest burn window must see two scrapes. */
function objectiveProblems(v: ParsedValues): string[] {
  const problems: string[] = [];
  for (const key of ["sloAvailabilityObjective", "sloConnectionsObjective", "sloHandshakeObjective"] as const) {
    const objective = v[key];
    if (objective !== undefined && (objective <= 0 || objective >= 100))
      problems.push(aboutValue(key, objective, "allowed: a percentage strictly between 0 and 100, such as 99.9 (100 leaves no error budget)."));
  }
  const { sloPeriod: period, k8sPrometheusRetention: retention } = v;
  if (period && retention && period.seconds > retention.seconds)
    problems.push(aboutValue("sloPeriod", period.text, `allowed: at most k8sPrometheusRetention (${retention.text}), the data the operator's Prometheus keeps; raise that Prometheus' spec.retention (and this key), or shorten the period.`));
  return problems;
}

/** What a key set for a shorter scrapeInterval allows of it: at most `most` seconds; `alone`, its own problem when it is the only one. */
interface IntervalNeed {
  key: ConfigKey;
  value: string;
  most: number;
  rule: string;
  alone: string;
}

/**
 * The keys that must be a multiple of scrapeInterval. One too short is its own problem; several are
 * one cause, a scrapeInterval longer than they were set for: said once, on scrapeInterval.
 */
function scrapeIntervalProblems(v: ParsedValues): string[] {
  const interval = v.scrapeInterval;
  if (!interval) return [];
  const needs: IntervalNeed[] = [];
  if (v.dashboardRefresh)
    needs.push({ key: "dashboardRefresh", value: v.dashboardRefresh.text, most: v.dashboardRefresh.seconds, rule: "at least scrapeInterval",
      alone: `allowed: at least scrapeInterval (${interval.text}); a faster refresh only re-reads the same samples.` });
  for (const key of ["unstableWindow", "layerWindow"] as const) {
    const span = v[key];
    if (span)
      needs.push({ key, value: span.text, most: span.seconds / 4, rule: "at least 4 x scrapeInterval",
        alone: `allowed: at least 4 x scrapeInterval (${describeSeconds(4 * interval.seconds)}), so the window holds enough samples.` });
  }
  if (v.sloPeriod) {
    const shortest = Math.round((SHORTEST_BURN_WINDOW_SECONDS * v.sloPeriod.seconds) / REFERENCE_PERIOD_SECONDS);
    needs.push({ key: "sloPeriod", value: v.sloPeriod.text, most: shortest / 2, rule: `its shortest burn window, ${promDuration(shortest)}, holds 2 scrapes`,
      alone: `allowed: at least ${promDuration(Math.ceil((2 * interval.seconds * REFERENCE_PERIOD_SECONDS) / SHORTEST_BURN_WINDOW_SECONDS))} with scrapeInterval ${interval.text}: the shortest burn window (5m for 30d, here ${promDuration(shortest)}) must hold 2 scrapes.` });
  }
  const unmet = needs.filter((n) => n.most < interval.seconds);
  if (unmet.length === 1) return [aboutValue(unmet[0].key, unmet[0].value, unmet[0].alone)];
  if (unmet.length === 0) return [];
  const most = promDuration(Math.floor(Math.min(...unmet.map((n) => n.most))));
  const each = unmet.map((n) => `${n.key} = "${n.value}" (${n.rule}: at most ${promDuration(Math.floor(n.most))})`).join(", ");
  return [aboutValue("scrapeInterval", interval.text, `allowed: at most ${most} with ${each}; shorten scrapeInterval, or lengthen those keys.`)];
}

/** The problems between keys; `earlier` are the per-key ones, so that a key is not reported twice. */
export function crossKeyProblems(v: ParsedValues, raw: RawConfig, platform: Platform, earlier: readonly string[]): string[] {
  const prometheusUrlMissing =
    v.createDatasource === true && !v.prometheusUrl && !earlier.some((p) => p.startsWith(fullName("prometheusUrl")));
  return [
    ...timingProblems(v),
    ...scrapeIntervalProblems(v),
    ...operationalHoursProblems(v),
    ...credentialProblems(v, platform),
    ...receiverProblems(v, raw, platform),
    ...(prometheusUrlMissing ? [`${fullName("prometheusUrl")}: required when createDatasource is true; allowed: an http(s) URL at which Grafana reaches Prometheus.`] : []),
    ...alertEngineProblems(v, raw, platform),
    ...deliveryProblems(v, raw, platform),
    ...objectiveProblems(v),
  ];
}
