/** Runs of the real program on Pulumi's mock engine, per committed stack, and how the tests look into them. */
import assert from "node:assert/strict";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import type { Settings } from "../../config/settings";
import { validateConfig } from "../../config/validate";
import { ofType, runStack, useConfig, type StackRun } from "./mockStack";
import { stackRawConfig } from "./stacks";

export const T = {
  folder: "grafana:oss/folder:Folder",
  dashboard: "grafana:oss/dashboard:Dashboard",
  datasource: "grafana:oss/dataSource:DataSource",
  ruleGroup: "grafana:alerting/ruleGroup:RuleGroup",
  contactPoint: "grafana:alerting/contactPoint:ContactPoint",
  muteTiming: "grafana:alerting/muteTiming:MuteTiming",
  policy: "grafana:alerting/notificationPolicy:NotificationPolicy",
  grafanaProvider: "pulumi:providers:grafana",
  container: "docker:index/container:Container",
  volume: "docker:index/volume:Volume",
  network: "docker:index/network:Network",
  customResource: (kind: string, version = "v1") => `kubernetes:monitoring.coreos.com/${version}:${kind}`,
  localFile: "pulumi-nodejs:dynamic/websocket-monitoring:LocalFile",
  k8sSecret: "kubernetes:core/v1:Secret",
  environment: "websocket-monitoring:index:MonitoringEnvironment",
};


const runs = new Map<string, StackRun>();
/**
 * The committed stack with its test secrets, run once per process (every unit test file runs in
 * one, test/units.ts); its config is the runtime's again after each call, as the policy pack reads it.
 */
export async function run(stack: string): Promise<StackRun> {
  if (!runs.has(stack)) runs.set(stack, await runStack(stack, stackRawConfig(stack)));
  useConfig(stackRawConfig(stack));
  return runs.get(stack)!;
}

export function one(r: StackRun, type: string, nameSuffix = "") {
  const found = ofType(r, type).filter((x) => x.name.endsWith(nameSuffix));
  assert.equal(found.length, 1, `expected exactly one ${type} named *${nameSuffix}, got ${found.length}`);
  return found[0];
}

export const settingsOf = (stack: string) => validateConfig(stackRawConfig(stack), stack);
export const GRAFANA_ALERTING = [T.ruleGroup, T.contactPoint, T.muteTiming, T.policy];
export const typesOf = (r: StackRun) => new Set(r.resources.map((x) => x.type));

/**
 * The alert names a stack deploys: every one, the heartbeat only where heartbeatUrl is set, the
 * outage inhibitor only with Prometheus' engine, each optional signal's only where the service exposes it.
 */
export function alertNamesOf(s: Settings): string[] {
  const exposes = s.alerts.layer.exposes;
  const off = new Set<string>([
    ...(s.notifications.heartbeat ? [] : [ALERT_NAMES.heartbeat]),
    ...(s.alerts.engine === "prometheus" ? [] : [ALERT_NAMES.outage]),
    ...(exposes.upgrades ? [] : [ALERT_NAMES.handshakeFailures, ALERT_NAMES.handshakeBudgetBurn]),
    ...(exposes.connectionLimit ? [] : [ALERT_NAMES.nearLimit]),
    ...(exposes.closeCodes ? [] : [ALERT_NAMES.abnormalCloses]),
  ]);
  return Object.values(ALERT_NAMES).filter((name) => !off.has(name));
}
