/**
 * What a Pulumi package schema promises about inputs, checked two ways: the typed Args of
 * components/args.ts as the schema's input types they must become, and a program's values
 * (e.g. a YAML program's resource properties) against the schema's types, as Pulumi YAML and
 * the generated SDKs would type-check them.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { PROJECT_DIR } from "../../config/stackFile";
import type { PackageSchema, SchemaObject, SchemaProperty } from "./componentPlugin";

export interface DocumentedInput {
  name: string;
  optional: boolean;
  documented: boolean;
  /** The schema type its TypeScript type must become. */
  expected: SchemaProperty;
}

const STRING: SchemaProperty = { type: "string" };
/** Every TypeScript type components/args.ts uses (config/argsSource.ts), as a schema type. */
const SCHEMA_TYPE_OF: Record<string, SchemaProperty> = {
  string: STRING,
  "pulumi.Input<string>": STRING,
  number: { type: "number" },
  boolean: { type: "boolean" },
  "string[]": { type: "array", items: STRING },
  "{ [key: string]: string }": { type: "object", additionalProperties: STRING },
};

/** The properties of each interface of components/args.ts, by interface name. */
export function documentedInputs(): Record<string, DocumentedInput[]> {
  const file = path.join(PROJECT_DIR, "components", "args.ts");
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const inputs: Record<string, DocumentedInput[]> = {};
  for (const node of source.statements.filter(ts.isInterfaceDeclaration)) {
    inputs[node.name.text] = node.members.filter(ts.isPropertySignature).map((member) => {
      const typeText = member.type?.getText(source) ?? "";
      const expected = SCHEMA_TYPE_OF[typeText];
      if (!expected) throw new Error(`${node.name.text}.${member.name.getText(source)}: no schema type known for '${typeText}'`);
      return { name: member.name.getText(source), optional: member.questionToken !== undefined, documented: ts.getJSDocCommentsAndTags(member).length > 0, expected };
    });
  }
  return inputs;
}

/** A program's reference to one of its config values (`${grafanaAuth}`), typed as its config declares. */
export interface ConfigRef {
  config: string;
  type: string;
  secret: boolean;
}
export const isConfigRef = (value: unknown): value is ConfigRef => typeof value === "object" && value !== null && "config" in value;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value) && !isConfigRef(value);

function objectProblems(schema: PackageSchema, value: unknown, object: SchemaObject, at: string): string[] {
  if (!isRecord(value)) return [`${at}: an object was expected`];
  const problems = (object.required ?? []).filter((key) => value[key] === undefined).map((key) => `${at}.${key}: required`);
  for (const [key, v] of Object.entries(value)) {
    const property = object.properties[key];
    problems.push(...(property ? valueProblems(schema, v, property, `${at}.${key}`) : [`${at}.${key}: not an input of the schema`]));
  }
  return problems;
}

/** What is wrong with `value` as the schema's `property` (empty: nothing). */
export function valueProblems(schema: PackageSchema, value: unknown, property: SchemaProperty, at: string): string[] {
  if (property.$ref) {
    const type = schema.types[property.$ref.replace(/^#\/types\//, "")];
    return type ? objectProblems(schema, value, type, at) : [`${at}: ${property.$ref} is not a type of the schema`];
  }
  const typeOf = isConfigRef(value) ? value.type : Array.isArray(value) ? "array" : isRecord(value) ? "object" : typeof value;
  if (typeOf !== property.type) return [`${at}: ${property.type ?? JSON.stringify(property)} was expected, not ${typeOf}`];
  if (property.items) return (value as unknown[]).flatMap((item, i) => valueProblems(schema, item, property.items!, `${at}[${i}]`));
  if (property.additionalProperties) return Object.entries(value as object).flatMap(([key, v]) => valueProblems(schema, v, property.additionalProperties!, `${at}.${key}`));
  return [];
}

/** What is wrong with a resource of `type` given `properties`, by the schema's input properties. */
export function resourceProblems(schema: PackageSchema, type: string, properties: unknown, at: string): string[] {
  const resource = schema.resources[type];
  if (!resource) return [`${at}: ${type} is not a resource of the schema`];
  return objectProblems(schema, properties, { properties: resource.inputProperties, required: resource.requiredInputs }, at);
}
