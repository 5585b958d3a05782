/**
 * One service's alert rules, where they are objects of their own: Grafana's rule groups in the
 * environment's folder (alertEngine grafana), or its PrometheusRule (alertEngine prometheus on
 * Kubernetes). Where Prometheus reads a rule file (local, docker), the file holds every service's
 * rules and is the environment's (components/environment.ts).
 */
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import type { GrafanaRuleGroup } from "../alerts/grafana";
import { stableJson } from "../lib/stableJson";
import type { KubernetesManifest } from "../lib/kubernetes";
import { registerManifests } from "./kubernetesObjects";

export type RuleObjects =
  | {
      placement: "grafana";
      /** alerts/grafana.ts' groups; the first is the one the stack always had. */
      ruleGroups: GrafanaRuleGroup[];
      folderUid: pulumi.Input<string>;
    }
  /** alerts/kubernetes.ts' PrometheusRule. */
  | { placement: "kubernetes"; objects: KubernetesManifest[] };

export interface AlertRulesArgs {
  rules: RuleObjects;
  /** What the rules name and must follow: the datasource, the dashboard (`__dashboardUid__`), and per rule the contact points and time interval. */
  dependsOn: pulumi.Input<pulumi.Resource>[];
  /** Refuse to delete them (`protect`). */
  protect: boolean;
  /** Where an existing stack may hold them (the components they were registered under before): none for a new one. */
  movedFrom?: pulumi.Input<string>[];
}

export class AlertRules extends pulumi.ComponentResource {
  readonly ruleGroupNames: pulumi.Output<string[]>;

  constructor(name: string, args: AlertRulesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:AlertRules", name, {}, opts);
    const aliases = (args.movedFrom ?? []).map((parent) => ({ parent }));
    const rules = args.rules;
    if (rules.placement === "grafana") {
      const groups = rules.ruleGroups.map(
        (group, i) =>
          new grafana.alerting.RuleGroup(
            // The first keeps the name it always had (a new name would replace it).
            i === 0 ? `${name}-rules` : `${name}-${group.name}-rules`,
            {
              name: group.name,
              folderUid: rules.folderUid,
              intervalSeconds: group.intervalSeconds,
              // Plain values, ordered by dependsOn: an output would be unknown at the preview of a new
              // stack, and neither the provider's Check nor the policy pack would see the rules.
              // The provider takes each model as JSON: sorted keys, as Grafana hands it back.
              rules: group.rules.map((r) => ({ ...r, datas: r.datas.map((d) => ({ ...d, model: stableJson(d.model) })) })),
            },
            { parent: this, protect: args.protect, dependsOn: args.dependsOn, aliases },
          ),
      );
      this.ruleGroupNames = pulumi.all(groups.map((g) => g.name));
    } else {
      const created = registerManifests(name, { ...rules, protect: args.protect }, () => "rules", this, { dependsOn: args.dependsOn, aliases });
      this.ruleGroupNames = pulumi.all(created.map((r) => r.metadata.name));
    }
    this.registerOutputs({ ruleGroupNames: this.ruleGroupNames });
  }
}
