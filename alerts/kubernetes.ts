/**
 * The Prometheus alert engine on Kubernetes, as prometheus-operator objects: the rule file as a
 * PrometheusRule, the routing of alerts/notifications.ts as an AlertmanagerConfig, and the Secret
 * its receivers read their URLs and SMTP password from (never the object itself).
 *
 * The operator's Alertmanager is shared with other teams: the AlertmanagerConfig's top route
 * selects this stack's alerts by `service` and `environment` (the operator adds only a
 * `namespace` matcher, or none), so no other alert of the namespace or the cluster reaches our
 * receivers, and e-mail carries its own smarthost, so a missing global SMTP setting cannot make
 * the operator refuse the whole configuration.
 */
import { eachService, onPlatform, type KubernetesStack, type Services } from "../config/settings";
import { kubernetesMetadata, kubernetesSecret, type KubernetesObject, type KubernetesSecret } from "../lib/kubernetes";
import { resourceBaseName, serviceBaseName } from "../lib/naming";
import { environmentHeartbeat } from "./definitions";
import { ALERT_NAMES, type PolicyRoute } from "./vocabulary";
import { notificationMessage } from "./messages";
import { contactPoints, notificationPolicy, operationalHours, type ContactPointModel } from "./notifications";
import { inhibitRules, silentRoute } from "./incident";
import { environmentRules, serviceRules, type PrometheusRuleFile } from "./prometheus";

/** Keys of the receiver Secret (`alertReceiverSecret`). */
export const RECEIVER_SECRET_KEYS = { slack: "slack-webhook-url", webhook: "webhook-url", heartbeat: "heartbeat-url", smtpPassword: "smtp-password" } as const;

/** The label that keeps the service's own namespace in notifications (`namespace` is the operator's, see prometheusRule). */
export const SERVICE_NAMESPACE_LABEL = "service_namespace";

function alertReceiverSecretName(s: KubernetesStack): string {
  return `${resourceBaseName(s)}-alert-receivers`;
}

/** The Secret the AlertmanagerConfig's receivers read from: only the keys this stack has values for. */
function alertReceiverSecret(s: KubernetesStack): KubernetesSecret {
  const n = s.notifications;
  const password = s.kubernetes.smtp?.password;
  return kubernetesSecret(s, alertReceiverSecretName(s), {
    ...(n.slack && { [RECEIVER_SECRET_KEYS.slack]: n.slack.webhookUrl }),
    ...(n.webhook && { [RECEIVER_SECRET_KEYS.webhook]: n.webhook.url }),
    ...(n.heartbeat && { [RECEIVER_SECRET_KEYS.heartbeat]: n.heartbeat.url }),
    ...(password && { [RECEIVER_SECRET_KEYS.smtpPassword]: password }),
  });
}

/**
 * The rules with two labels more: `namespace`, the AlertmanagerConfig's own, because the operator
 * routes to an AlertmanagerConfig only alerts of its namespace (strategy `OnNamespace`, the
 * default); and, since that replaces the namespace the series came from, the service's namespace
 * under SERVICE_NAMESPACE_LABEL.
 */
export function prometheusRule(s: KubernetesStack): KubernetesObject {
  return ruleObject(s, `${serviceBaseName(s)}-alerts`, serviceRules(s));
}

/** With `services`, the environment's heartbeat as a PrometheusRule of its own (environmentHeartbeat); none otherwise. */
function heartbeatRule(services: readonly KubernetesStack[]): KubernetesObject[] {
  const file = environmentRules(services);
  return file.groups.length ? [ruleObject(services[0], `${resourceBaseName(services[0])}-heartbeat`, file, false)] : [];
}

/** `ofService`: the rules are a service's, which keep its namespace (the environment's heartbeat has none). */
function ruleObject(s: KubernetesStack, name: string, file: PrometheusRuleFile, ofService = true): KubernetesObject {
  const k = s.kubernetes;
  const extra = { namespace: k.namespace, ...(ofService && { [SERVICE_NAMESPACE_LABEL]: k.serviceNamespace }) };
  const groups = file.groups.map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, labels: { ...r.labels, ...extra } })) }));
  return { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: kubernetesMetadata(s, name), spec: { groups } };
}

/**
 * What the top route matches: this stack's alerts only (its services', its environment's), whatever
 * the operator adds. The environment's heartbeat (with `services`) has no `service`: an empty one is
 * let in, for the stack's alert names only, so that another team's alert without it stays out.
 */
function stackMatchers(services: readonly KubernetesStack[]): { name: string; value: string; matchType: "=" | "=~" }[] {
  const names = services.map((s) => s.service.name);
  const environment = { name: "environment", value: services[0].environment, matchType: "=" as const };
  if (environmentHeartbeat(services))
    return [
      { name: "service", value: `${names.join("|")}|`, matchType: "=~" },
      { name: "alertname", value: Object.values(ALERT_NAMES).join("|"), matchType: "=~" },
      environment,
    ];
  return [names.length === 1 ? { name: "service", value: names[0], matchType: "=" } : { name: "service", value: names.join("|"), matchType: "=~" }, environment];
}

function receiver(services: readonly KubernetesStack[], cp: ContactPointModel): Record<string, unknown> {
  const s = services[0];
  const secret = (key: string) => ({ name: alertReceiverSecretName(s), key });
  const smtp = s.kubernetes.smtp;
  // The same message as alertmanager.yml's, inline: an AlertmanagerConfig cannot load template files.
  const m = notificationMessage(services);
  return {
    name: cp.name,
    ...(cp.slack && {
      slackConfigs: [
        {
          apiURL: secret(RECEIVER_SECRET_KEYS.slack),
          ...(cp.slack.recipient && { channel: cp.slack.recipient }),
          title: m.title,
          titleLink: m.titleLink,
          text: m.text,
          sendResolved: true,
        },
      ],
    }),
    // Validation requires smtpHost wherever a receiver has e-mail on this engine.
    ...(cp.email && smtp && {
      emailConfigs: [
        {
          to: cp.email.addresses.join(", "),
          smarthost: smtp.host,
          from: smtp.fromAddress,
          ...(smtp.user && { authUsername: smtp.user }),
          ...(smtp.password && { authPassword: secret(RECEIVER_SECRET_KEYS.smtpPassword) }),
          headers: [{ key: "Subject", value: m.title }],
          html: m.html,
          text: m.text,
          sendResolved: true,
        },
      ],
    }),
    ...(cp.webhook && {
      webhookConfigs: [
        { urlSecret: secret(cp.severity === "heartbeat" ? RECEIVER_SECRET_KEYS.heartbeat : RECEIVER_SECRET_KEYS.webhook), sendResolved: cp.severity !== "heartbeat" },
      ],
    }),
  };
}

const operatorMatcher = (m: PolicyRoute["matchers"][number]) => ({ name: m.label, value: m.value, matchType: m.match });

export function alertmanagerConfigObject(stackServices: Services): KubernetesObject {
  const services = eachService(stackServices).map((x) => onPlatform(x, "kubernetes"));
  const s = services[0];
  const policy = notificationPolicy(services);
  return {
    apiVersion: "monitoring.coreos.com/v1alpha1",
    kind: "AlertmanagerConfig",
    metadata: kubernetesMetadata(s, resourceBaseName(s)),
    spec: {
      route: {
        receiver: policy.contactPoint,
        matchers: stackMatchers(services),
        groupBy: policy.groupBy,
        groupWait: policy.groupWait,
        groupInterval: policy.groupInterval,
        repeatInterval: policy.repeatInterval,
        routes: [silentRoute(s), ...policy.routes].map((r) => ({
          receiver: r.contactPoint,
          matchers: r.matchers.map(operatorMatcher),
          ...(r.activeTimings && { activeTimeIntervals: r.activeTimings }),
          ...r.timings,
          continue: r.continue,
        })),
      },
      receivers: [...contactPoints(s).map((cp) => receiver(services, cp)), { name: silentRoute(s).contactPoint }],
      // One incident, one page (alerts/incident.ts); the operator adds the namespace matcher to each.
      inhibitRules: inhibitRules(s).map((r) => ({ sourceMatch: r.source.map(operatorMatcher), targetMatch: r.target.map(operatorMatcher), equal: r.equal })),
      // v1alpha1 names every time interval a "mute" interval; routes use it as an active one. It
      // has no `location`: validation allows only UTC hours with this engine on Kubernetes.
      muteTimeIntervals: services.map(operationalHours).map((hours) => ({
        name: hours.name,
        timeIntervals: [{ weekdays: hours.weekdays, times: hours.times.map((t) => ({ startTime: t.start, endTime: t.end })) }],
      })),
    },
  };
}

/**
 * What alertEngine `prometheus` creates on Kubernetes: the Secret first (the operator skips a
 * config whose Secret is missing), a PrometheusRule per service, the environment's AlertmanagerConfig.
 */
export function kubernetesAlertingObjects(stackServices: Services): [KubernetesSecret, ...KubernetesObject[]] {
  const services = eachService(stackServices).map((x) => onPlatform(x, "kubernetes"));
  const [secret, ...environment] = kubernetesRoutingObjects(services);
  return [secret, ...services.map(prometheusRule), ...environment];
}

/** The environment's part of them: the receivers' Secret, the heartbeat's PrometheusRule with `services`, the AlertmanagerConfig (each service has its PrometheusRule). */
export function kubernetesRoutingObjects(services: readonly KubernetesStack[]): [KubernetesSecret, ...KubernetesObject[]] {
  return [alertReceiverSecret(services[0]), ...heartbeatRule(services), alertmanagerConfigObject(services)];
}
