/**
 * The component package (provider/) as Pulumi runs it for `pulumi package get-schema` and
 * `pulumi package add`: the Node.js language host starts `node @pulumi/pulumi/cmd/run-plugin
 * <package folder>` in the caller's folder; it prints the port of its ResourceProvider gRPC
 * server on stdout, and the CLI asks it for GetPluginInfo and GetSchema.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as path from "node:path";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { GetSchemaRequest } from "@pulumi/pulumi/proto/provider_pb";
import { PROJECT_DIR } from "../../config/stackFile";
import { COMPONENT_PLUGIN_TIMEOUT_MS } from "../../harness/bounds";
import { ServerProcess } from "../../harness/processes";

export const PROVIDER_DIR = path.join(PROJECT_DIR, "provider");

export interface SchemaProperty {
  type?: string;
  $ref?: string;
  description?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
}
export interface SchemaObject {
  properties: Record<string, SchemaProperty>;
  required?: string[];
}
export interface PackageSchema {
  name: string;
  version: string;
  resources: Record<string, { isComponent: boolean; inputProperties: Record<string, SchemaProperty>; requiredInputs?: string[]; properties: Record<string, SchemaProperty> }>;
  types: Record<string, SchemaObject>;
}

/** A unary call with a deadline: a plugin that accepts and never answers fails the call, naming it. */
function call<T>(what: string, start: (deadline: Date, done: (err: grpc.ServiceError | null, res: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    start(new Date(Date.now() + COMPONENT_PLUGIN_TIMEOUT_MS), (err, res) => (err ? reject(new Error(`${what}: ${err.message}`)) : resolve(res))),
  );
}

export class ComponentPlugin {
  private constructor(
    private readonly process: ServerProcess,
    private readonly client: ResourceProviderClient,
  ) {}

  /**
   * Started as the language host starts it, from `cwd` (the program's folder); resolves once it
   * serves. run-plugin's ts-node keeps what it compiles in `tsNodeCache`.
   */
  static async start(cwd: string, tsNodeCache: string): Promise<ComponentPlugin> {
    const runPlugin = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [PROVIDER_DIR] });
    const env = { ...process.env, TS_NODE_CACHE_DIRECTORY: tsNodeCache };
    const plugin = new ServerProcess("run-plugin", process.execPath, [runPlugin, PROVIDER_DIR], cwd, env);
    try {
      const [, port] = await plugin.waitForOutput(/^(\d+)\n/m, COMPONENT_PLUGIN_TIMEOUT_MS);
      return new ComponentPlugin(plugin, new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()));
    } catch (err) {
      await plugin.stop();
      throw err;
    }
  }

  async version(): Promise<string> {
    const info = await call<{ getVersion(): string }>("GetPluginInfo", (deadline, done) => this.client.getPluginInfo(new Empty(), new grpc.Metadata(), { deadline }, done));
    return info.getVersion();
  }

  async schema(): Promise<PackageSchema> {
    const res = await call<{ getSchema(): string }>("GetSchema", (deadline, done) => this.client.getSchema(new GetSchemaRequest(), new grpc.Metadata(), { deadline }, done));
    return JSON.parse(res.getSchema()) as PackageSchema;
  }

  output(): string {
    return this.process.output();
  }

  async stop(): Promise<void> {
    this.client.close();
    await this.process.stop();
  }
}
