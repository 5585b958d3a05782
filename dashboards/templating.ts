/**
 * The dashboard's variables and its alert annotations: both confined to this stack, so that the
 * dashboard stays true on a Prometheus that other teams' jobs and alerts share.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type { Settings } from "../config/settings";
import { stackJobs, stackJobsRegex } from "../promql/queries";
import { rolloutActive } from "../slo/rollouts";
import { DATASOURCE } from "./panels";

/**
 * The variables Grafana's dashboard linter expects. *Job* offers only the service's jobs (the
 * service, its health probe and, where it is on, its upgrade probe) and *Instance* only the
 * service's pods (a probe's instance is what it probes, which the probe panels show whatever pod is picked). "All" is `.+`, as the linter wants:
 * every query also pins the job it reads (promql/queries.ts), so it never reaches further.
 */
export function variables(s: Settings): cog.Builder<dashboard.VariableModel>[] {
  const jobs = stackJobs(s);
  const query = (name: string, label: string, definition: string) =>
    new dashboard.QueryVariableBuilder(name)
      .label(label)
      .datasource(DATASOURCE)
      .query(definition)
      .definition(definition)
      .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
      .sort(dashboard.VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      .allValue(".+");
  return [
    new dashboard.DatasourceVariableBuilder("datasource").label("Data source").type("prometheus").current({ text: s.grafana.datasourceUid, value: s.grafana.datasourceUid }),
    query("job", "Job", `label_values(up{job=~"${stackJobsRegex(s)}"}, job)`).current({ text: jobs, value: jobs }),
    query("instance", "Instance", `label_values(up{job=~"$job", job="${s.scrape.jobName}"}, instance)`).current({ text: "All", value: "$__all" }),
  ];
}

/**
 * This stack's firing alerts that page someone: never the heartbeat (always firing, it would mark
 * every graph) nor the outage inhibitor (alerts/incident.ts), both `severity: none`; nor another
 * team's or environment's. With Grafana's engine its built-in annotation, which marks each
 * rule's state on the panel the rule links (dashboards/ids.ts `alertPanelId`; the heartbeat links
 * none); with Prometheus' engine `ALERTS` of the stack's `service` and `environment`.
 */
export function alertAnnotation(s: Settings): dashboard.AnnotationQueryBuilder {
  const annotation = new dashboard.AnnotationQueryBuilder().enable(true).hide(false).iconColor("red");
  if (s.alerts.engine === "grafana")
    return annotation.name("Alerts").builtIn(1).type("dashboard").datasource({ type: "grafana", uid: "-- Grafana --" });
  return annotation
    .name("Alerts")
    .datasource(DATASOURCE)
    .expr(alertAnnotationQuery(s))
    .titleFormat("{{alertname}}")
    .textFormat("{{severity}} {{reason}}")
    .tagKeys("alertname,severity")
    .step("60s");
}

/** The Prometheus engine's annotation query. */
export function alertAnnotationQuery(s: Settings): string {
  return `ALERTS{alertstate="firing", service="${s.service.name}", environment="${s.environment}", severity!="none"}`;
}

/**
 * Rollouts and restarts in place, from the processes' start times (slo/rollouts.ts): a region
 * while a process of the job started within `sloRolloutWindow` (a new pod is a new instance, so
 * its start time tells, not a change), and a mark where one instance restarted with a new start time.
 */
export function processAnnotations(s: Settings): dashboard.AnnotationQueryBuilder[] {
  const selector = `{job=~"$job", job="${s.scrape.jobName}"}`;
  const annotation = (name: string, color: string, expr: string, title: string) =>
    new dashboard.AnnotationQueryBuilder().name(name).enable(true).hide(false).iconColor(color).datasource(DATASOURCE).expr(expr).titleFormat(title).step("60s");
  return [
    annotation("Rollouts", "blue", rolloutActive(s, selector), "rollout: a process started"),
    annotation("Restarts in place", "orange", `changes(process_start_time_seconds${selector}[2m]) > 0`, "restart of {{instance}}"),
  ];
}
