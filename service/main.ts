/**
 * CLI of the reference service: `npm run service -- --port 8080 [--host 127.0.0.1] [--max-connections 10000]`.
 * Prints one line `listening on <url>` once it accepts connections (tests read the port from it)
 * and closes every connection cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { PATHS } from "./contract";
import { DEFAULT_MAX_CONNECTIONS, startService } from "./server";

const USAGE = `usage: tsx service/main.ts [--port <port, 0 = any free one; default 8080>] [--host <address; default 127.0.0.1>] [--max-connections <connections it accepts at once; default ${DEFAULT_MAX_CONNECTIONS}>]`;

async function main(): Promise<void> {
  let values: { port?: string; host?: string; "max-connections"?: string };
  try {
    ({ values } = parseArgs({ options: { port: { type: "string" }, host: { type: "string" }, "max-connections": { type: "string" } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port: not a port number: ${values.port}\n${USAGE}`);
    process.exit(2);
  }
  const maxConnections = Number(values["max-connections"] ?? DEFAULT_MAX_CONNECTIONS);
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    console.error(`--max-connections: not a positive whole number: ${values["max-connections"]}\n${USAGE}`);
    process.exit(2);
  }
  const service = await startService({ port, host: values.host ?? "127.0.0.1", maxConnections });
  console.log(`listening on ${service.url} (WebSocket ${PATHS.websocket}, health ${PATHS.health}, metrics ${PATHS.metrics})`);
  const stop = () => service.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
