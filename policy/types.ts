/** The resource type tokens the policies look at: the bottom of the policy pack, which every check module reads. */

/** Type tokens of the @pulumiverse/grafana resources the policies look at (`__pulumiType`). */
export const GRAFANA_TYPES = {
  ruleGroup: "grafana:alerting/ruleGroup:RuleGroup",
  contactPoint: "grafana:alerting/contactPoint:ContactPoint",
  folder: "grafana:oss/folder:Folder",
  dashboard: "grafana:oss/dashboard:Dashboard",
  dataSource: "grafana:oss/dataSource:DataSource",
} as const;

/** Type tokens of the other resources that carry alert rules or Alertmanager receivers (`__pulumiType`). */
export const FILE_TYPES = {
  prometheusRule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
  alertmanagerConfig: "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig",
  kubernetesSecret: "kubernetes:core/v1:Secret",
  localFile: "pulumi-nodejs:dynamic/websocket-monitoring:LocalFile",
  container: "docker:index/container:Container",
} as const;
