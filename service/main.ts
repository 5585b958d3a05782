/**
 * CLI of the reference service: `npm run service -- --port 8080 [--host 127.0.0.1] [--max-connections 10000] [--drain-seconds 5]`.
 * Prints one line `listening on <url>` once it accepts connections (tests read the port from it).
 * SIGTERM (a rolling deploy's stop) drains: new upgrades refused with 503, clients closed with 1012
 * (service restart: reconnect elsewhere), scrapes answered for --drain-seconds so that Prometheus
 * counts the drain, then it exits. SIGINT (Ctrl-C) closes every connection with 1001 at once.
 */
import { parseArgs } from "node:util";
import { PATHS } from "./contract";
import { DEFAULT_MAX_CONNECTIONS, startService } from "./server";

/** One scrape of the local stack (5s) fits; a bound, so that a stop never hangs. */
const DEFAULT_DRAIN_SECONDS = 5;
const MAX_DRAIN_SECONDS = 300;

const USAGE =
  `usage: tsx service/main.ts [--port <port, 0 = any free one; default 8080>] [--host <address; default 127.0.0.1>] ` +
  `[--max-connections <connections it accepts at once; default ${DEFAULT_MAX_CONNECTIONS}>] ` +
  `[--drain-seconds <on SIGTERM, seconds it keeps answering scrapes after closing its clients, 0 to ${MAX_DRAIN_SECONDS}; default ${DEFAULT_DRAIN_SECONDS}>]`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { port?: string; host?: string; "max-connections"?: string; "drain-seconds"?: string };
  try {
    ({ values } = parseArgs({ options: { port: { type: "string" }, host: { type: "string" }, "max-connections": { type: "string" }, "drain-seconds": { type: "string" } } }));
  } catch (err) {
    fail((err as Error).message);
  }
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port: not a port number: ${values.port}`);
  const maxConnections = Number(values["max-connections"] ?? DEFAULT_MAX_CONNECTIONS);
  if (!Number.isInteger(maxConnections) || maxConnections < 1) fail(`--max-connections: not a positive whole number: ${values["max-connections"]}`);
  const drainSeconds = Number(values["drain-seconds"] ?? DEFAULT_DRAIN_SECONDS);
  if (values["drain-seconds"]?.trim() === "" || !Number.isFinite(drainSeconds) || drainSeconds < 0 || drainSeconds > MAX_DRAIN_SECONDS)
    fail(`--drain-seconds: not a number of seconds from 0 to ${MAX_DRAIN_SECONDS}: ${values["drain-seconds"]}`);
  const service = await startService({ port, host: values.host ?? "127.0.0.1", maxConnections });
  console.log(`listening on ${service.url} (WebSocket ${PATHS.websocket}, health ${PATHS.health}, metrics ${PATHS.metrics})`);
  const exit = () => process.exit(0);
  process.once("SIGINT", () => service.close().then(exit));
  process.once("SIGTERM", () => service.drain({ code: 1012, lingerMs: drainSeconds * 1000 }).then(exit));
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
