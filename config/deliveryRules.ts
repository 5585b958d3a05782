/**
 * Rules of `dashboardDelivery` (Kubernetes): a ConfigMap delivery reaches Grafana without its API,
 * which only holds when nothing else of the stack needs that API.
 */
import type { RawConfig } from "./rawConfig";
import { givenText } from "./readValues";
import type { Platform } from "./schema";
import type { ParsedValues } from "./values";
import { aboutValue, fullName } from "./wording";

export function deliveryProblems(v: ParsedValues, raw: RawConfig, platform: Platform): string[] {
  if (platform !== "kubernetes") return [];
  const problems: string[] = [];
  const configMap = v.dashboardDelivery === "configMap";
  if (configMap && v.alertEngine !== "prometheus")
    problems.push(aboutValue("dashboardDelivery", "configMap", `allowed with alertEngine 'prometheus' only: with alertEngine '${v.alertEngine ?? "grafana"}' the rules, contact points and routing live in Grafana's API all the same. Set alertEngine to 'prometheus', or dashboardDelivery to 'grafanaApi'.`));
  if (configMap && v.createDatasource === true)
    problems.push(aboutValue("createDatasource", "true", "allowed with dashboardDelivery 'configMap': false only, since the stack then calls no Grafana API; give the uid of the existing datasource in datasourceUid (kube-prometheus-stack provisions one, uid 'prometheus')."));
  if (!configMap && v.grafanaAuth === undefined && givenText(raw, "grafanaAuth") === undefined)
    problems.push(`${fullName("grafanaAuth")}: required on platform 'kubernetes' with dashboardDelivery 'grafanaApi' (the default); allowed: 'user:password' or a service account token (set it with --secret). Or deliver the dashboards as ConfigMaps (dashboardDelivery 'configMap', with alertEngine 'prometheus'), which needs no Grafana credentials.`);
  for (const key of ["dashboardConfigMapLabels", "dashboardFolderAnnotation"] as const) {
    const text = givenText(raw, key);
    if (!configMap && text !== undefined) problems.push(aboutValue(key, text, "applies only with dashboardDelivery 'configMap'. Remove it, or set dashboardDelivery to 'configMap'."));
  }
  return problems;
}
