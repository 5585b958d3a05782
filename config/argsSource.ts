/**
 * The typed Args of the components (components/args.ts), generated from the schema like the
 * README's reference (`npm run docs:config`): one property per key, named as the key, documented
 * with its doc, typed by its kind. No unions and no `any`: Pulumi's schema inference reads them
 * for the component package (provider/), and values a union would allow (platforms, engines) are
 * strings that validation checks as it checks config.
 */
import { SCHEMA, type KeySpec } from "./schema";
import { PER_SERVICE_KEYS } from "./services";
import { allowedText } from "./wording";

function tsType(spec: KeySpec): string {
  if (spec.secret) return "pulumi.Input<string>";
  switch (spec.kind) {
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "list":
      return "string[]";
    case "map":
      return "{ [key: string]: string }";
    default:
      return "string";
  }
}

function property(spec: KeySpec, optional = true): string {
  const doc = `${spec.doc} Allowed: ${allowedText(spec)}.${spec.secret ? " A secret: it stays a Pulumi secret." : ""}`.replace(/\*\//g, "*\\/");
  return `  /** ${doc} */\n  ${spec.key}${optional ? "?" : ""}: ${tsType(spec)};`;
}

export function componentArgsSource(): string {
  const environment = SCHEMA.filter((s) => s.key !== "services" && !PER_SERVICE_KEYS.has(s.key));
  const service = SCHEMA.filter((s) => PER_SERVICE_KEYS.has(s.key));
  return `// Generated from config/schema.ts by 'npm run docs:config' (config/argsSource.ts); do not edit.
import type * as pulumi from "@pulumi/pulumi";

/** What is the same for every service of an environment: the stack-wide config keys, under the same names. */
export interface EnvironmentArgs {
${environment.map((s) => property(s, s.key !== "platform")).join("\n")}
}

/** One WebSocket service: the per-service config keys, under the same names. */
export interface ServiceArgs {
  /** The service's name: a DNS label, unique in the environment; the alerts' \`service\` label and part of its resources' names. Unset only for an environment's one service, named after its job, with the names of a single-service stack. */
  name?: string;
${service.map((s) => property(s)).join("\n")}
}
`;
}
