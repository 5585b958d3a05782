/**
 * The stack: its config mapped to the components' Args (what any other program would write), one
 * MonitoringEnvironment and a WebSocketMonitoring per service, and the outputs users open.
 * index.ts runs it after the preflight; the tests run it on Pulumi's mock engine.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseValue } from "../config/parseValue";
import { configText, type RawConfig } from "../config/rawConfig";
import { isConfigKey, specOf, type KeySpec } from "../config/schema";
import { PER_SERVICE_KEYS } from "../config/services";
import type { Settings } from "../config/settings";
import { environmentHeartbeat } from "../alerts/definitions";
import { ALERT_NAMES } from "../alerts/vocabulary";
import { resourceBaseName, serviceBaseName } from "../lib/naming";
import type { EnvironmentArgs, ServiceArgs } from "./args";
import { MonitoringEnvironment } from "./environment";
import { WebSocketMonitoring } from "./monitoring";

/** A valid config value as its Args property takes it: numbers, booleans, lists and maps typed; durations, enums and secrets as text. */
function typed(key: string, value: unknown): unknown {
  const text = configText(value);
  if (!isConfigKey(key)) return value;
  const spec: KeySpec = specOf(key);
  if (spec.secret) return text;
  switch (spec.kind) {
    case "integer":
    case "number":
    case "boolean":
    case "list":
    case "map":
      return (parseValue(spec, text) as { value: unknown }).value;
    default:
      return text;
  }
}

const typedEntries = (entries: [string, unknown][]) => Object.fromEntries(entries.map(([k, v]) => [k, typed(k, v)]));

/**
 * The Args of a config that validation accepted. Top-level per-service keys are each listed
 * service's defaults, so they go into every service that does not set its own; without `services`
 * they are the one unnamed service's.
 */
export function argsOfConfig(raw: RawConfig): { environment: EnvironmentArgs; services: ServiceArgs[] } {
  const { services: listed, ...values } = raw.values;
  const entries = Object.entries(values);
  const environment = typedEntries(entries.filter(([k]) => !PER_SERVICE_KEYS.has(k))) as unknown as EnvironmentArgs;
  const defaults = typedEntries(entries.filter(([k]) => PER_SERVICE_KEYS.has(k)));
  if (listed === undefined) return { environment, services: [defaults as ServiceArgs] };
  const services = (JSON.parse(listed) as Record<string, unknown>[]).map((entry) => ({ ...defaults, ...typedEntries(Object.entries(entry)) }) as ServiceArgs);
  return { environment, services };
}

export interface StackOutputs {
  dashboardUrl: pulumi.Output<string>;
  folderUrl: pulumi.Output<string>;
  alertRuleNames: pulumi.Output<string[]>;
  contactPointNames: pulumi.Output<string[]>;
  scrapeConfigLocation: pulumi.Output<string>;
}

/** `settings`: the same config validated (config/validate.ts), for the components' names. */
export function monitoringStack(raw: RawConfig, settings: readonly Settings[], opts: pulumi.ComponentResourceOptions = {}): StackOutputs {
  const { environment, services } = argsOfConfig(raw);
  const env = new MonitoringEnvironment(resourceBaseName(settings[0]), { environment, services }, opts);
  const inEnvironment = { ...opts, dependsOn: [env], providers: env.providers() };
  const monitors = services.map((service, i) => new WebSocketMonitoring(serviceBaseName(settings[i]), { environment, service }, inEnvironment));
  return {
    // The first service's: the output keeps its single-service shape.
    dashboardUrl: monitors[0].dashboardUrl,
    folderUrl: env.folderUrl,
    alertRuleNames: pulumi.all(monitors.map((m) => m.alertRuleNames)).apply((names) => [...new Set([...names.flat(), ...(environmentHeartbeat(settings) ? [ALERT_NAMES.heartbeat] : [])])]),
    contactPointNames: env.contactPointNames,
    scrapeConfigLocation: pulumi.all([env.scrapeConfigLocation, ...monitors.map((m) => m.scrapeConfigLocation)]).apply((at) => at.filter(Boolean).join("; ")),
  };
}
