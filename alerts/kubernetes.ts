/**
 * The Prometheus alert engine on Kubernetes, as prometheus-operator objects: the rule file as a
 * PrometheusRule, the routing of alerts/notifications.ts as an AlertmanagerConfig whose secret
 * URLs come from a Kubernetes Secret (never from the object itself).
 */
import type { KubernetesStack, Settings } from "../config/settings";
import { kubernetesMetadata, type KubernetesObject } from "../lib/kubernetes";
import { resourceBaseName } from "../lib/naming";
import { contactPoints, notificationPolicy, operationalHours } from "./notifications";
import { prometheusRules } from "./prometheus";

/** Keys of the receiver Secret (`alertReceiverSecretName`). */
export const RECEIVER_SECRET_KEYS = { slack: "slack-webhook-url", webhook: "webhook-url" } as const;

export function alertReceiverSecretName(s: Settings): string {
  return `${resourceBaseName(s)}-alert-receivers`;
}

export function prometheusRule(s: KubernetesStack): KubernetesObject {
  const namespace = s.kubernetes.namespace;
  const groups = prometheusRules(s).groups.map((g) => ({
    ...g,
    // The operator routes an AlertmanagerConfig only alerts whose `namespace` label is its own.
    rules: g.rules.map((r) => ({ ...r, labels: { ...r.labels, namespace } })),
  }));
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: kubernetesMetadata(s, `${resourceBaseName(s)}-alerts`),
    spec: { groups },
  };
}

export function alertmanagerConfigObject(s: KubernetesStack): KubernetesObject {
  const policy = notificationPolicy(s);
  const hours = operationalHours(s);
  const secret = (key: string) => ({ name: alertReceiverSecretName(s), key });
  return {
    apiVersion: "monitoring.coreos.com/v1alpha1",
    kind: "AlertmanagerConfig",
    metadata: kubernetesMetadata(s, resourceBaseName(s)),
    spec: {
      route: {
        receiver: policy.contactPoint,
        groupBy: policy.groupBy,
        groupWait: policy.groupWait,
        groupInterval: policy.groupInterval,
        repeatInterval: policy.repeatInterval,
        routes: policy.routes.map((r) => ({
          receiver: r.contactPoint,
          matchers: r.matchers.map((m) => ({ name: m.label, value: m.value, matchType: m.match })),
          ...(r.activeTimings && { activeTimeIntervals: r.activeTimings }),
          continue: r.continue,
        })),
      },
      receivers: contactPoints(s).map((cp) => ({
        name: cp.name,
        ...(cp.slack && {
          slackConfigs: [{ apiURL: secret(RECEIVER_SECRET_KEYS.slack), ...(cp.slack.recipient && { channel: cp.slack.recipient }), sendResolved: true }],
        }),
        // No smarthost: the operator's Alertmanager uses its global SMTP settings.
        ...(cp.email && { emailConfigs: [{ to: cp.email.addresses.join(", "), sendResolved: true }] }),
        ...(cp.webhook && { webhookConfigs: [{ urlSecret: secret(RECEIVER_SECRET_KEYS.webhook), sendResolved: true }] }),
      })),
      // v1alpha1 names every time interval a "mute" interval; routes use it as an active one. It
      // has no `location`: validation allows only UTC hours with this engine on Kubernetes.
      muteTimeIntervals: [
        {
          name: hours.name,
          timeIntervals: [{ weekdays: hours.weekdays, times: hours.times.map((t) => ({ startTime: t.start, endTime: t.end })) }],
        },
      ],
    },
  };
}
