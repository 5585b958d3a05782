/**
 * The component package (package/): Pulumi's own schema inference, the analyzer that
 * `pulumi package get-schema` and `pulumi package add` run, reads both components and their Args,
 * with every documented config key an input of its type, none `Any`, each described.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { parse } from "yaml";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { SCHEMA } from "../../config/schema";
import { PER_SERVICE_KEYS } from "../../config/services";
import { MonitoringEnvironment, WebSocketMonitoring } from "../../package/index";

const PACKAGE_DIR = path.join(__dirname, "..", "..", "package");
const TOKEN = (name: string) => `websocket-monitoring:index:${name}`;

interface Property {
  type?: string;
  $ref?: string;
  description?: string;
  items?: Property;
  additionalProperties?: Property;
}
interface Schema {
  name: string;
  resources: Record<string, { isComponent: boolean; inputProperties: Record<string, Property>; requiredInputs?: string[]; properties: Record<string, Property> }>;
  types: Record<string, { properties: Record<string, Property> }>;
}

describe("the component package under Pulumi's schema inference", () => {
  let schema: Schema;

  before(async () => {
    const provider = new ComponentProvider({ dirname: PACKAGE_DIR, name: "websocket-monitoring", components: [MonitoringEnvironment, WebSocketMonitoring] });
    schema = JSON.parse(await provider.getSchema()) as Schema;
  });

  test("a folder of its own: PulumiPlugin.yaml (nodejs) without a Pulumi.yaml; its package name is the type tokens' package", () => {
    assert.deepEqual(parse(readFileSync(path.join(PACKAGE_DIR, "PulumiPlugin.yaml"), "utf8")), { runtime: "nodejs" });
    assert.equal(existsSync(path.join(PACKAGE_DIR, "Pulumi.yaml")), false);
    assert.equal(JSON.parse(readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8")).name, schema.name);
  });

  test("both components, with their Args and outputs", () => {
    const environment = schema.resources[TOKEN("MonitoringEnvironment")];
    const service = schema.resources[TOKEN("WebSocketMonitoring")];
    assert.ok(environment.isComponent && service.isComponent);
    assert.deepEqual(Object.keys(environment.inputProperties).sort(), ["environment", "services"]);
    assert.equal(environment.inputProperties.services.items?.$ref, `#/types/${TOKEN("ServiceArgs")}`);
    assert.deepEqual(Object.keys(service.inputProperties).sort(), ["environment", "service"]);
    assert.equal(service.inputProperties.environment.$ref, `#/types/${TOKEN("EnvironmentArgs")}`);
    assert.deepEqual(Object.keys(environment.properties).sort(), ["contactPointNames", "folderUrl", "scrapeConfigLocation"]);
    assert.deepEqual(Object.keys(service.properties).sort(), ["alertRuleNames", "dashboardUrl", "scrapeConfigLocation"]);
  });

  test("every config key is an input under its own name: the stack-wide ones of EnvironmentArgs, the per-service ones of ServiceArgs", () => {
    const keysOf = (type: string) => Object.keys(schema.types[TOKEN(type)].properties).sort();
    const keys = SCHEMA.map((s) => s.key).filter((k) => k !== "services");
    assert.deepEqual(keysOf("EnvironmentArgs"), keys.filter((k) => !PER_SERVICE_KEYS.has(k)).sort());
    assert.deepEqual(keysOf("ServiceArgs"), [...keys.filter((k) => PER_SERVICE_KEYS.has(k)), "name"].sort());
  });

  test("typed as the config: numbers, booleans, lists, maps, secrets as strings; none Any, each described", () => {
    const env = schema.types[TOKEN("EnvironmentArgs")].properties;
    const service = schema.types[TOKEN("ServiceArgs")].properties;
    assert.equal(service.connectionsMax.type, "number");
    assert.equal(env.protect.type, "boolean");
    assert.deepEqual([service.targets.type, service.targets.items?.type], ["array", "string"]);
    assert.equal(service.k8sServiceSelector.additionalProperties?.type, "string");
    assert.equal(env.grafanaAuth.type, "string");
    assert.ok(!JSON.stringify(schema).includes("pulumi.json#/Any"), "an input typed Any");
    for (const [type, properties] of Object.entries({ EnvironmentArgs: env, ServiceArgs: service })) {
      for (const [key, p] of Object.entries(properties)) assert.ok((p.description ?? "").length > 20, `${type}.${key} has no description`);
    }
  });
});
