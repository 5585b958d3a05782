/**
 * Grafana-managed alerting of an environment: the notification templates and one contact point per
 * severity that uses them (alerts/messages.ts), the operational-hours time interval and the
 * notification policy. Each service's rule groups are its own (components/alertRules.ts).
 */
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import { secretInput } from "../config/pulumi";
import type { ContactPointModel, NotificationPolicyModel, TimeIntervalModel } from "../alerts/notifications";

/** The models of alerts/ the Grafana objects are made from, and what they live in and refer to. */
export interface ConnectionAlertingArgs {
  /** One per severity. */
  contactPoints: ContactPointModel[];
  /** The notification template group whose templates the contact points name. */
  messageTemplate: { name: string; template: string };
  /** Each service's operational hours, a time interval the routing names; the first is the one the stack always had. */
  operationalHours: TimeIntervalModel[];
  /**
   * grafanaRouting `policyTree`: the organisation's notification policy tree, owned by this stack.
   * Without it (`perRule`) each rule carries its own routing, naming the contact points and the time interval.
   */
  notificationPolicy?: NotificationPolicyModel;
}

export class ConnectionAlerting extends pulumi.ComponentResource {
  readonly contactPointNames: pulumi.Output<string[]>;

  constructor(name: string, args: ConnectionAlertingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:ConnectionAlerting", name, {}, opts);
    const parent = { parent: this };

    // The contact points name its templates: Grafana refuses a contact point whose template is unknown.
    const messages = new grafana.alerting.MessageTemplate(`${name}-messages`, args.messageTemplate, parent);
    const points = args.contactPoints.map(
      (cp) =>
        new grafana.alerting.ContactPoint(
          `${name}-${cp.severity}`,
          {
            name: cp.name,
            slacks: cp.slack ? [{ url: secretInput(cp.slack.url), recipient: cp.slack.recipient, title: cp.slack.title, text: cp.slack.text }] : [],
            emails: cp.email ? [{ addresses: cp.email.addresses, subject: cp.email.subject, message: cp.email.message, singleEmail: cp.email.singleEmail }] : [],
            webhooks: cp.webhook ? [{ url: secretInput(cp.webhook.url), httpMethod: cp.webhook.httpMethod, disableResolveMessage: cp.severity === "heartbeat" }] : [],
          },
          { parent: this, dependsOn: [messages] },
        ),
    );

    const timings = args.operationalHours.map(
      (hours, i) =>
        new grafana.alerting.MuteTiming(
          // The first keeps the name it always had; the others are named after their interval.
          i === 0 ? `${name}-operational-hours` : `${name}-${hours.name}`,
          { name: hours.name, intervals: [{ weekdays: hours.weekdays, times: hours.times, location: hours.location }] },
          parent,
        ),
    );

    // perRule: each rule names its contact point and time interval; the org's tree stays as it is.
    if (args.notificationPolicy) this.policyTree(name, args.notificationPolicy, [...points, ...timings]);

    this.contactPointNames = pulumi.all(points.map((p) => p.name));
    this.registerOutputs({ contactPointNames: this.contactPointNames });
  }

  /** The organisation's one notification policy tree, owned by this stack. */
  private policyTree(name: string, policy: NotificationPolicyModel, namedObjects: pulumi.Resource[]): void {
    new grafana.alerting.NotificationPolicy(
      `${name}-policy`,
      {
        contactPoint: policy.contactPoint,
        groupBies: policy.groupBy,
        groupWait: policy.groupWait,
        groupInterval: policy.groupInterval,
        repeatInterval: policy.repeatInterval,
        policies: policy.routes.map((r) => ({
          contactPoint: r.contactPoint,
          matchers: r.matchers,
          activeTimings: r.activeTimings,
          ...r.timings,
          continue: r.continue,
        })),
      },
      // The policy names contact points and the time interval by name: create them first.
      { parent: this, dependsOn: namedObjects },
    );
  }
}
