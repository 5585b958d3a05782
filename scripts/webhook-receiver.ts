/**
 * The local stack's webhook contact point: appends every alert notification it receives
 * as one JSON line to --out, so a person or a test can see what was delivered and when.
 */
import { appendFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startWebhookServer } from "../lib/webhookServer";

const { values } = parseArgs({ options: { port: { type: "string", default: "9099" }, out: { type: "string", default: "webhook.jsonl" } } });
startWebhookServer(Number(values.port), ({ receivedAt, path, body }) =>
  appendFileSync(values.out!, JSON.stringify({ receivedAt: receivedAt.toISOString(), path, body }) + "\n"),
).then(
  (server) => console.log(`webhook receiver on ${server.url}/ writing ${values.out}`),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
