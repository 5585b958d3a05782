/**
 * The local stack's webhook contact point: appends every Grafana alert notification it receives
 * as one JSON line to --out, so a person or a test can see what was delivered and when.
 */
import { appendFileSync } from "node:fs";
import { createServer } from "node:http";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { port: { type: "string", default: "9099" }, out: { type: "string", default: "webhook.jsonl" } } });
createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    if (req.method === "POST") appendFileSync(values.out!, JSON.stringify({ receivedAt: new Date().toISOString(), path: req.url, body }) + "\n");
    res.end("ok");
  });
}).listen(Number(values.port), "127.0.0.1", () => console.log(`webhook receiver on http://127.0.0.1:${values.port}/ writing ${values.out}`));
