/**
 * A Pulumi YAML program's resources as Pulumi YAML evaluates them: each property with its
 * `${variable}` references replaced by the variable's value and its `${config}` references by the
 * config's declaration, so that what a component is given can be checked before any run.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { ConfigRef } from "./schemaValues";

interface YamlProgram {
  name: string;
  runtime: string;
  packages?: Record<string, string>;
  config?: Record<string, { type: string; secret?: boolean }>;
  variables?: Record<string, unknown>;
  resources: Record<string, { type: string; properties?: Record<string, unknown>; options?: { dependsOn?: string[] } }>;
  outputs?: Record<string, string>;
}

export interface ProgramResource {
  name: string;
  type: string;
  properties: Record<string, unknown>;
  dependsOn: string[];
}

/** `${name}` alone (a whole value) names a variable, a config value or a resource (`${name.output}`). */
const REFERENCE = /^\$\{([^}]+)\}$/;

export function readYamlProgram(file: string): YamlProgram {
  return parse(readFileSync(file, "utf8")) as YamlProgram;
}

export function resourcesOf(program: YamlProgram): ProgramResource[] {
  const resolve = (value: unknown, seen: readonly string[]): unknown => {
    if (Array.isArray(value)) return value.map((v) => resolve(v, seen));
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, seen)]));
    const name = typeof value === "string" ? REFERENCE.exec(value)?.[1] : undefined;
    if (name === undefined) return value;
    if (seen.includes(name)) throw new Error(`variable ${name} refers to itself (${[...seen, name].join(" -> ")})`);
    if (program.variables && name in program.variables) return resolve(program.variables[name], [...seen, name]);
    const config = program.config?.[name];
    if (config) return { config: name, type: config.type, secret: config.secret === true } satisfies ConfigRef;
    throw new Error(`\${${name}}: no variable or config of that name`);
  };
  return Object.entries(program.resources).map(([name, r]) => ({
    name,
    type: r.type,
    properties: resolve(r.properties ?? {}, []) as Record<string, unknown>,
    dependsOn: (r.options?.dependsOn ?? []).map((d) => REFERENCE.exec(d)?.[1] ?? d),
  }));
}

/** The resource and output property each of the program's outputs names (`${realtime.folderUrl}`). */
export function outputsOf(program: YamlProgram): { name: string; resource: string; property: string }[] {
  return Object.entries(program.outputs ?? {}).map(([name, value]) => {
    const [resource, property] = (REFERENCE.exec(value)?.[1] ?? "").split(".");
    return { name, resource, property };
  });
}
