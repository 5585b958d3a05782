/**
 * The component package (provider/) as Pulumi itself loads it for `pulumi package get-schema` and
 * `pulumi package add`: `@pulumi/pulumi/cmd/run-plugin <folder>`, a real process started from
 * another team's folder, outside this repository, asked over gRPC for its schema. Both components, every input of
 * components/args.ts typed as it is there, none `Any`; and README's YAML program, whose values
 * must pass the schema and the components' own validation.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import type { EnvironmentArgs, ServiceArgs } from "../../components/args";
import { settingsOf } from "../../components/fromArgs";
import { PROJECT_DIR } from "../../config/stackFile";
import { ComponentPlugin, PROVIDER_DIR, type PackageSchema } from "../support/componentPlugin";
import { importedPackages } from "../support/importedPackages";
import { documentedInputs, isConfigRef, resourceProblems } from "../support/schemaValues";
import { outputsOf, readYamlProgram, resourcesOf } from "../support/yamlProgram";

const TOKEN = (name: string) => `websocket-monitoring:index:${name}`;
const YAML_DIR = path.join(PROJECT_DIR, "examples", "yaml");
const YAML_PROGRAM = path.join(YAML_DIR, "Pulumi.yaml");
const json = (file: string) => JSON.parse(readFileSync(file, "utf8"));

describe("the component package as Pulumi's run-plugin serves it", () => {
  let plugin: ComponentPlugin;
  let schema: PackageSchema;
  // Where the language host starts it: the program's folder, which has no tsconfig.json nor node_modules of this repository.
  const programDir = mkdtempSync(path.join(tmpdir(), "websocket-monitoring-program-"));
  const tsNodeCache = path.join(programDir, "ts-node-cache");

  before(async () => {
    plugin = await ComponentPlugin.start(programDir, tsNodeCache);
    schema = await plugin.schema();
  });
  after(async () => {
    await plugin?.stop();
    rmSync(programDir, { recursive: true, force: true });
  });

  test("a folder of its own that require(<folder>) loads: PulumiPlugin.yaml (nodejs), no Pulumi.yaml, no sibling file of its name", async () => {
    assert.deepEqual(parse(readFileSync(path.join(PROVIDER_DIR, "PulumiPlugin.yaml"), "utf8")), { runtime: "nodejs" });
    assert.equal(existsSync(path.join(PROVIDER_DIR, "Pulumi.yaml")), false);
    // Node tries <folder>.js, .json, .node (and .ts under a TypeScript loader) before <folder>/.
    for (const ext of ["", ".js", ".json", ".node", ".ts"]) assert.equal(existsSync(`${PROVIDER_DIR}${ext}`), ext === "", `${PROVIDER_DIR}${ext} exists`);
    const manifest = json(path.join(PROVIDER_DIR, "package.json"));
    assert.equal(manifest.name, schema.name);
    assert.equal(await plugin.version(), manifest.version);
  });

  test("its files compiled by tsx, none by run-plugin's ts-node (which, once it has cached some files, fails to type-check a changed one)", () => {
    const compiled = existsSync(tsNodeCache) ? readdirSync(tsNodeCache, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()) : [];
    assert.deepEqual(compiled.map((e) => e.name), []);
  });

  test("its package.json names every package its files import at run time, at the versions the repository locks, and TypeScript, with which run-plugin reads their types", () => {
    const root = json(path.join(PROJECT_DIR, "package.json"));
    const { main, dependencies } = json(path.join(PROVIDER_DIR, "package.json")) as { main: string; dependencies: Record<string, string> };
    assert.deepEqual(Object.keys(dependencies).sort(), [...importedPackages(path.join(PROVIDER_DIR, main)), "typescript"].sort());
    for (const [name, version] of Object.entries(dependencies)) assert.equal(version, root.dependencies[name] ?? root.devDependencies[name], name);
  });

  test("both components, with their Args and outputs", () => {
    const environment = schema.resources[TOKEN("MonitoringEnvironment")];
    const service = schema.resources[TOKEN("WebSocketMonitoring")];
    assert.ok(environment?.isComponent && service?.isComponent, `resources: ${Object.keys(schema.resources).join(", ")}`);
    assert.deepEqual(Object.keys(environment.inputProperties).sort(), ["environment", "services"]);
    assert.equal(environment.inputProperties.environment.$ref, `#/types/${TOKEN("EnvironmentArgs")}`);
    assert.equal(environment.inputProperties.services.items?.$ref, `#/types/${TOKEN("ServiceArgs")}`);
    assert.deepEqual(Object.keys(service.inputProperties).sort(), ["environment", "service"]);
    assert.equal(service.inputProperties.environment.$ref, `#/types/${TOKEN("EnvironmentArgs")}`);
    assert.equal(service.inputProperties.service.$ref, `#/types/${TOKEN("ServiceArgs")}`);
    assert.deepEqual(Object.keys(environment.properties).sort(), ["contactPointNames", "folderUrl", "scrapeConfigLocation"]);
    assert.deepEqual(Object.keys(service.properties).sort(), ["alertRuleNames", "dashboardUrl", "scrapeConfigLocation"]);
  });

  test("every input of components/args.ts, under its name, typed as there (none Any), required where it is, described", () => {
    assert.ok(!JSON.stringify(schema).includes("pulumi.json#/Any"), "an input typed Any");
    const inputs = documentedInputs();
    assert.deepEqual(Object.keys(inputs).sort(), ["EnvironmentArgs", "ServiceArgs"]);
    for (const [type, documented] of Object.entries(inputs)) {
      const inferred = schema.types[TOKEN(type)];
      assert.deepEqual(Object.keys(inferred.properties).sort(), documented.map((i) => i.name).sort(), type);
      assert.deepEqual([...(inferred.required ?? [])].sort(), documented.filter((i) => !i.optional).map((i) => i.name).sort(), `${type}: required`);
      for (const input of documented) {
        const { type: t, items, additionalProperties, description } = inferred.properties[input.name];
        const shape = (p?: { type?: string }) => p && { type: p.type };
        assert.deepEqual({ type: t, items: shape(items), additionalProperties: shape(additionalProperties) }, { items: undefined, additionalProperties: undefined, ...input.expected }, `${type}.${input.name}`);
        assert.ok(input.documented && (description ?? "").length > 20, `${type}.${input.name} has no description`);
      }
    }
  });

  describe("README's YAML program (examples/yaml/Pulumi.yaml)", () => {
    const program = readYamlProgram(YAML_PROGRAM);
    const resources = resourcesOf(program);

    test("README shows it as it is, and it uses this package", () => {
      const readme = readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
      const blocks = [...readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
      assert.ok(blocks.includes(readFileSync(YAML_PROGRAM, "utf8")), "README has no yaml block equal to examples/yaml/Pulumi.yaml");
      assert.equal(program.runtime, "yaml");
      assert.equal(path.resolve(YAML_DIR, program.packages?.[schema.name] ?? ""), PROVIDER_DIR);
    });

    test("every resource's properties are inputs of the schema, of their types, the required ones given; its options and outputs name what exists", () => {
      assert.deepEqual(resources.map((r) => r.type).sort(), [TOKEN("MonitoringEnvironment"), TOKEN("WebSocketMonitoring")]);
      for (const r of resources) {
        assert.deepEqual(resourceProblems(schema, r.type, r.properties, r.name), []);
        for (const d of r.dependsOn) assert.ok(resources.some((other) => other.name === d), `${r.name} depends on ${d}, which is not a resource`);
      }
      for (const o of outputsOf(program)) {
        const resource = resources.find((r) => r.name === o.resource);
        assert.ok(resource && o.property in schema.resources[resource.type].properties, `output ${o.name}: ${o.resource}.${o.property} is not an output`);
      }
    });

    test("the components' own validation accepts what each is given (a program without a receiver would fail here)", () => {
      // A secret config value reaches the component as an output; non-secret ones the program has none of.
      const given = (value: unknown): unknown => {
        if (isConfigRef(value)) {
          assert.ok(value.secret, `config ${value.config}: only secrets are stood in for`);
          return pulumi.secret(`<${value.config}>`);
        }
        if (Array.isArray(value)) return value.map(given);
        return typeof value === "object" && value !== null ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, given(v)])) : value;
      };
      for (const r of resources) {
        const args = given(r.properties) as { environment: EnvironmentArgs; services?: ServiceArgs[]; service?: ServiceArgs };
        const services = r.type === TOKEN("MonitoringEnvironment") ? args.services! : [args.service!];
        const owner = { component: `${r.type} '${r.name}'`, servicesProperty: r.type === TOKEN("MonitoringEnvironment") ? ("services" as const) : ("service" as const) };
        assert.doesNotThrow(() => settingsOf(owner, args.environment, services), r.name);
        const { slackWebhookUrl: _, ...withoutReceiver } = args.environment;
        assert.throws(() => settingsOf(owner, withoutReceiver, services), /none is set; allowed: at least one, so that alerts reach someone/);
      }
    });
  });
});
