/**
 * Runs the real program (config reading, validation, components) against Pulumi's mock engine
 * and records every resource registration and invoke, secrets still marked as such.
 */
import * as pulumi from "@pulumi/pulumi";
import { rawPulumiConfig, servicesFromPulumiConfig } from "../../config/pulumi";
import { monitoringStack } from "../../components/stack";
import { CONFIG_NAMESPACE, type RawConfig } from "../../config/validate";

/** The wire sentinel Pulumi uses for secret values (same in mocks and the real engine). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export interface Registered {
  type: string;
  name: string;
  /** Inputs as the engine received them; secret values are `{ [SECRET_SIG]: ..., value }`. */
  inputs: Record<string, unknown>;
  protect: boolean;
  /** `pulumi destroy` drops it from the state but leaves the real object in place. */
  retainOnDelete: boolean;
  /** Names of the resources in its `dependsOn`. */
  dependsOn: string[];
  /** URNs of its `aliases`: where an existing stack may hold it from an earlier version of the program. */
  aliases: string[];
  /** Its URN as the engine computes it (the parents' whole type chain), and its parent's. */
  urn: string;
  parentUrn?: string;
}

export interface StackRun {
  resources: Registered[];
  invokes: { token: string; inputs: Record<string, unknown> }[];
  outputs: Record<string, unknown>;
}

export function isSecretWire(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE;
}

/** Inputs with every secret replaced by "[secret]": safe to print, compare and commit. */
export function redact(value: unknown): unknown {
  if (isSecretWire(value)) return "[secret]";
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
  return value;
}

/** Where `needle` occurs in `value` outside any secret: paths such as "webhooks.0.url". */
export function plainOccurrences(value: unknown, needle: string, at = ""): string[] {
  if (isSecretWire(value)) return [];
  if (typeof value === "string") return value.includes(needle) ? [at] : [];
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => plainOccurrences(v, needle, at ? `${at}.${k}` : k));
  return [];
}

/** Where `value` holds a value unknown at preview (it then reaches neither the provider's Check nor the policy pack). */
export function unknownPaths(value: unknown, at = ""): string[] {
  if (pulumi.isUnknown(value)) return [at || "(the whole value)"];
  if (isSecretWire(value)) return unknownPaths(value.value, at);
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => unknownPaths(v, at ? `${at}.${k}` : k));
  return [];
}

/** Inputs with secret markers removed, to read the values themselves. */
export function reveal(value: unknown): unknown {
  if (isSecretWire(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  return value;
}

/** An output's value once resolved; at preview, an unknown one resolves to `pulumi.unknown`. */
async function settled<T>(output: pulumi.Output<T>): Promise<T> {
  // Internal to Output (used by the SDK's own serialization): `apply` would never call back for an unknown.
  return (output as unknown as { promise(withUnknowns: boolean): Promise<T> }).promise(true);
}

export interface EngineOptions {
  /** Run as `pulumi preview` of a new stack: what no resource has returned yet is unknown. */
  preview?: boolean;
}

/** The stack's config as the CLI hands it to a program (and to the policy pack, which reads it too). */
export function useConfig(raw: RawConfig): void {
  pulumi.runtime.setAllConfig(
    { ...raw.otherValues, ...Object.fromEntries(Object.entries(raw.values).map(([k, v]) => [`${CONFIG_NAMESPACE}:${k}`, v])) },
    [...raw.secretKeys].map((k) => `${CONFIG_NAMESPACE}:${k}`),
  );
}

/** Sets the stack's config and Pulumi's mock engine, recording what the program registers. */
export async function mockEngine(stack: string, raw: RawConfig, options: EngineOptions = {}) {
  const resources: Registered[] = [];
  // Mocks do not see resource options; a transformation (inherited by every child) does.
  const protectedNames = new Set<string>();
  const retainedNames = new Set<string>();
  const dependencies = new Map<string, string[]>();
  const aliasUrns = new Map<string, pulumi.Output<string>[]>();
  const urns = new Map<string, { urn: pulumi.Output<string>; parentUrn?: pulumi.Output<string> }>();
  const recordProtect: pulumi.ResourceTransformation = ({ type, name, opts }) => {
    urns.set(`${type}::${name}`, { urn: pulumi.createUrn(name, type, opts.parent), parentUrn: opts.parent?.urn });
    if (opts.protect) protectedNames.add(`${type}::${name}`);
    if (opts.retainOnDelete) retainedNames.add(`${type}::${name}`);
    const dependsOn = opts.dependsOn;
    if (Array.isArray(dependsOn)) dependencies.set(`${type}::${name}`, dependsOn.map((d) => (d as unknown as { __name: string }).__name));
    if (opts.aliases) aliasUrns.set(`${type}::${name}`, opts.aliases.map((a) => aliasUrn(a as string | pulumi.Alias, type, name, opts.parent)));
    return undefined;
  };
  const invokes: StackRun["invokes"] = [];
  useConfig(raw);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const key = `${args.type}::${args.name}`;
        resources.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          protect: protectedNames.has(key),
          retainOnDelete: retainedNames.has(key),
          dependsOn: dependencies.get(key) ?? [],
          aliases: [],
          urn: "",
        });
        const outputs: Record<string, unknown> = { ...args.inputs };
        if (args.type === "grafana:oss/dashboard:Dashboard") outputs.url = `${raw.values.grafanaUrl ?? "http://grafana"}/d/mock`;
        return { id: `${args.name}-id`, state: outputs };
      },
      call(args) {
        invokes.push({ token: args.token, inputs: args.inputs });
        return args.inputs;
      },
    },
    CONFIG_NAMESPACE,
    stack,
    options.preview ?? false,
  );
  return { resources, invokes, recordProtect, aliasUrns, urns };
}

/**
 * The URN an alias names, as the engine computes it: the old parent's whole type chain, then the
 * type and name. (The mock engine's own URNs keep only the nearest parent's type.)
 */
function aliasUrn(alias: string | pulumi.Alias, type: string, name: string, parent?: pulumi.Resource): pulumi.Output<string> {
  if (typeof alias === "string") return pulumi.output(alias);
  return pulumi.createUrn(alias.name ?? name, alias.type ?? type, "parent" in alias ? alias.parent : parent);
}

export async function runStack(stack: string, raw: RawConfig, options: EngineOptions = {}): Promise<StackRun> {
  const { resources, invokes, recordProtect, aliasUrns, urns } = await mockEngine(stack, raw, options);
  const m = monitoringStack(rawPulumiConfig(), servicesFromPulumiConfig(), { transformations: [recordProtect] });
  const outputs = {
    dashboardUrl: await settled(m.dashboardUrl),
    folderUrl: await settled(m.folderUrl),
    alertRuleNames: await settled(m.alertRuleNames),
    contactPointNames: await settled(m.contactPointNames),
    scrapeConfigLocation: await settled(m.scrapeConfigLocation),
  };
  await registrationsDone(resources);
  for (const x of resources) {
    const key = `${x.type}::${x.name}`;
    x.aliases = await Promise.all((aliasUrns.get(key) ?? []).map(settled));
    const at = urns.get(key);
    if (at) [x.urn, x.parentUrn] = await Promise.all([settled(at.urn), at.parentUrn && settled(at.parentUrn)]);
  }
  return { resources, invokes, outputs };
}

/** Another program (an example) on the mock engine with `raw` as its config: what it registers, once it is done. */
export async function runProgram(stack: string, raw: RawConfig, program: () => unknown): Promise<Registered[]> {
  const { resources } = await mockEngine(stack, raw);
  program();
  await registrationsDone(resources);
  return resources;
}

/** Registrations complete asynchronously: wait until no new one arrives for a few ticks. */
async function registrationsDone(resources: Registered[]): Promise<void> {
  for (let quiet = 0, seen = -1; quiet < 5; ) {
    await new Promise((r) => setTimeout(r, 10));
    quiet = resources.length === seen ? quiet + 1 : 0;
    seen = resources.length;
  }
}

export function ofType(run: StackRun, type: string): Registered[] {
  return run.resources.filter((r) => r.type === type);
}
