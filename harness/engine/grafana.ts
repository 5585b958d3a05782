/**
 * Grafana's side for a real engine, stood in: the provider plugin (grafanaStandIn.ts) on the
 * engine's PATH, and an HTTP server that answers the program's preflight (health, credentials,
 * the existing datasource) as a Grafana 12.1 would. The objects the plugin holds can be read, and
 * its next write can be made to fail once.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { within } from "../bounds";
import { addAmbientPlugin, type Engine } from "./engine";

export interface GrafanaStandIn {
  /** The base URL to give as grafanaUrl. */
  url: string;
  /** The objects the provider holds, by id (a rule group's uid, a dashboard's, …), with their inputs. */
  objects(): Record<string, Record<string, unknown>>;
  /** The next create or update of a Grafana object fails (HTTP 500 from "Grafana"). */
  failNextWrite(): void;
  close(): Promise<void>;
}

export async function standInGrafana(engine: Engine): Promise<GrafanaStandIn> {
  const dir = path.join(engine.ambient, "..", "grafana");
  mkdirSync(dir, { recursive: true });
  engine.env.WSMON_GRAFANA_STAND_IN_DIR = dir;
  const loader = pathToFileURL(require.resolve("tsx")).href;
  const plugin = path.join(__dirname, "grafanaStandIn.ts");
  addAmbientPlugin(engine, "pulumi-resource-grafana", `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} --import ${JSON.stringify(loader)} ${JSON.stringify(plugin)} "$@"\n`);

  const server = createServer((req, res) => {
    const answer = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    const datasource = /^\/api\/datasources\/uid\/([^/?]+)/.exec(req.url ?? "");
    if (req.url === "/api/health") answer(200, { database: "ok", version: "12.1.0" });
    else if (req.url?.startsWith("/api/folders")) answer(200, []);
    else if (datasource) answer(200, { uid: decodeURIComponent(datasource[1]), type: "prometheus", name: "Prometheus" });
    else answer(404, { message: "not found" });
  });
  await within("the Grafana stand-in's HTTP server to listen", new Promise<void>((r) => server.listen(0, "127.0.0.1", r)), 10_000);
  const { port } = server.address() as { port: number };
  const store = path.join(dir, "objects.json");
  return {
    url: `http://127.0.0.1:${port}`,
    objects: () => (existsSync(store) ? (JSON.parse(readFileSync(store, "utf8")) as Record<string, Record<string, unknown>>) : {}),
    failNextWrite: () => writeFileSync(path.join(dir, "fail-next"), ""),
    close: () => within("the Grafana stand-in's HTTP server to close", new Promise<void>((r) => server.close(() => r())), 10_000),
  };
}
