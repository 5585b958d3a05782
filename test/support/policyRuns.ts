/** The policy pack in process, on resources the mock engine recorded, the way the engine runs it. */
import { Secret, type ResourceValidationArgs, type ResourceValidationPolicy, type StackValidationArgs, type StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policy/policies";
import { isSecretWire, reveal, type Registered } from "./mockStack";

/** Inputs as a remediation sees them: each secret a @pulumi/policy Secret, where the engine marked it. */
function withSecrets(value: unknown): unknown {
  if (isSecretWire(value)) return new Secret(withSecrets(value.value));
  if (Array.isArray(value)) return value.map(withSecrets);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withSecrets(v)]));
  return value;
}

const urnOf = (stack: string, r: Registered) => `urn:pulumi:${stack}::websocket-monitoring::${r.type}::${r.name}`;

/** Every policy on one resource as the engine runs them: remediations, then validations (secrets unwrapped). */
export async function violations(stack: string, r: Registered): Promise<string[]> {
  const args = (props: unknown) => ({ type: r.type, name: r.name, urn: urnOf(stack, r), props, opts: { protect: r.protect } }) as unknown as ResourceValidationArgs;
  const found: string[] = [];
  const resourcePolicies = policies as ResourceValidationPolicy[];
  for (const p of resourcePolicies) if (p.enforcementLevel === "remediate") await p.remediateResource?.(args(withSecrets(r.inputs)));
  for (const p of resourcePolicies)
    for (const validate of [p.validateResource ?? []].flat()) await validate(args(reveal(r.inputs)), (message) => found.push(`${p.name}: ${message}`));
  return found;
}

/** The stack validations, on all `resources` at once (secrets unwrapped), as the engine runs them after the resources'. */
export async function stackViolations(stack: string, resources: Registered[]): Promise<string[]> {
  const args = { resources: resources.map((r) => ({ type: r.type, name: r.name, urn: urnOf(stack, r), props: reveal(r.inputs), opts: { protect: r.protect } })) } as unknown as StackValidationArgs;
  const found: string[] = [];
  for (const p of policies as StackValidationPolicy[]) await p.validateStack?.(args, (message) => found.push(`${p.name}: ${message}`));
  return found;
}

export async function allViolations(stack: string, resources: Registered[]): Promise<string[]> {
  return [...(await Promise.all(resources.map((r) => violations(stack, r)))).flat(), ...(await stackViolations(stack, resources))];
}

