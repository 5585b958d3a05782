/**
 * The servers of the stack's data and alert paths as processes on 127.0.0.1: the reference
 * service, and Debian's blackbox exporter, Alertmanager and Prometheus, each waited for until it
 * is ready. A server that does not become ready is killed before the error is thrown.
 */
import * as path from "node:path";
import { PROJECT_DIR } from "../config/stackFile";
import { PATHS } from "../service/contract";
import { fetchWithin, START_TIMEOUT_MS } from "./bounds";
import { pollUntil } from "./poll";
import { ServerProcess, freePort, tsNodeArgs } from "./processes";

export interface ReferenceService {
  process: ServerProcess;
  /** http://host:port */
  url: string;
  /** host:port, as a scrape target. */
  address: string;
  wsUrl: string;
  setHealthy(healthy: boolean): Promise<void>;
}

/**
 * On `port`, or on any free one (0), of `host`; accepting at most `maxConnections` at once (the
 * service's default without). `drainSeconds`: how long SIGTERM keeps it scrapeable after closing
 * its clients; 0 by default, so that a test's teardown does not wait for a scrape.
 */
export async function startReferenceService(port = 0, host = "127.0.0.1", maxConnections?: number, drainSeconds = 0): Promise<ReferenceService> {
  const limit = maxConnections === undefined ? [] : ["--max-connections", String(maxConnections)];
  const args = tsNodeArgs("service/main.ts", "--port", String(port), "--host", host, "--drain-seconds", String(drainSeconds), ...limit);
  const child = new ServerProcess("reference service", process.execPath, args);
  try {
    const [, url] = await child.waitForOutput(/listening on (http:\/\/\S+)/, START_TIMEOUT_MS);
    return {
      process: child,
      url,
      address: new URL(url).host,
      wsUrl: `${url.replace(/^http/, "ws")}${PATHS.websocket}`,
      async setHealthy(healthy) {
        const res = await fetchWithin(`${url}${PATHS.adminHealth}?status=${healthy ? "healthy" : "unhealthy"}`, { method: "POST" });
        if (!res.ok) throw new Error(`admin health: HTTP ${res.status}`);
      },
    };
  } catch (err) {
    await child.stop("SIGKILL");
    throw err;
  }
}

export interface HttpServer {
  process: ServerProcess;
  /** host:port */
  address: string;
}

/** Starts a server on `port` (by default a free one) and waits until `readyPath` answers 200. */
async function startHttpServer(name: string, command: string, args: (port: number) => string[], readyPath: string, port?: number): Promise<HttpServer> {
  port ??= await freePort();
  const child = new ServerProcess(name, command, args(port));
  const address = `127.0.0.1:${port}`;
  try {
    await pollUntil(`${name} ready`, async () => (await fetchWithin(`http://${address}${readyPath}`)).ok, (ok) => ok, { timeoutMs: START_TIMEOUT_MS });
  } catch (err) {
    await child.stop("SIGKILL");
    throw new Error(`${(err as Error).message}\n${child.output()}`);
  }
  return { process: child, address };
}

/** With the project's prometheus/blackbox.yml, as every platform runs it; on `port`, or a free one. */
export function startBlackboxExporter(port?: number): Promise<HttpServer> {
  const config = path.join(PROJECT_DIR, "prometheus", "blackbox.yml");
  return startHttpServer("blackbox exporter", "prometheus-blackbox-exporter", (p) => [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${p}`], "/-/healthy", port);
}

/**
 * With `configFile`, keeping its data in `dataDir`, on `port` (by default a free one); Debian's
 * `prometheus` unless another `binary` is named. Its lifecycle API is on, as `npm run up` runs it,
 * so that a changed file can be reloaded. `resendDelay`: how often it re-sends firing alerts to
 * Alertmanager, which keeps an alert for 4 times that (or the evaluation interval) after the last.
 * `retention`: how long it keeps its data (slo/retention.ts for the objectives' period, as the
 * local and docker platforms run it), or Prometheus' default 15d.
 */
export function startPrometheus(configFile: string, dataDir: string, options: { binary?: string; port?: number; resendDelay?: string; retention?: string } = {}): Promise<HttpServer> {
  return startHttpServer(
    "prometheus",
    options.binary ?? "prometheus",
    (port) => [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--web.enable-lifecycle",
      ...(options.resendDelay ? [`--rules.alert.resend-delay=${options.resendDelay}`] : []),
      ...(options.retention ? [`--storage.tsdb.retention.time=${options.retention}`] : []),
    ],
    "/-/ready",
    options.port,
  );
}

/** With `configFile`, keeping its data in `dataDir`, on `port`. */
export function startAlertmanager(configFile: string, dataDir: string, port: number): Promise<HttpServer> {
  return startHttpServer(
    "alertmanager",
    "prometheus-alertmanager",
    (p) => [
      `--config.file=${configFile}`,
      `--storage.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${p}`,
      // No cluster: no gossip port to collide with, and no waiting for peers before notifying.
      "--cluster.listen-address=",
    ],
    "/-/ready",
    port,
  );
}

/**
 * Waits for servers started concurrently. Every one that started is added to `started`, also when
 * another failed, so that the caller stops it; then the first failure is thrown.
 */
export async function startedTogether<T extends readonly Promise<{ process: ServerProcess }>[]>(
  started: ServerProcess[],
  starts: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(starts);
  for (const r of results) if (r.status === "fulfilled") started.push(r.value.process);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}
