/**
 * A few real WebSocket clients that `npm run up` keeps connected to the reference service, so that
 * the local dashboard shows live connections and messages, and `WebSocketNoActiveConnections`
 * (critical, at any hour on the local stack) stays quiet: the demo's first alert is the one the
 * user causes. Each client sends a message every --message-every and reconnects, once a second,
 * whenever its connection ends (the service killed, or started again by `npm run up`). --url may
 * list the instances of one service, comma-separated: the clients spread over them, and one whose
 * instance stops (a rollout's drain, a crash) reconnects to the next, as a client behind a load balancer does.
 * Prints "<n> clients connected to <url>" each time all are connected (scripts/local.sh waits for
 * that line), and "<k> of <n> connected to <url>: ..." when some are not, with why (the service's
 * refusal, e.g. `Unexpected server response: 404`). SIGTERM/SIGINT: every client closes with 1000
 * (the service counts `reason="client_close"`) and the process exits.
 * For README's recipes of the WebSocket layer: `--drop-every <s>` ends each connection that long
 * after it opened without a close frame (the service sees 1006, WebSocketAbnormalCloses), and a
 * `--url` of a path the service does not serve makes every upgrade a refused one (404).
 */
import { parseArgs } from "node:util";
import WebSocket from "ws";

const USAGE =
  "usage: tsx scripts/demo-clients.ts --url ws://<host>:<port>/ws[,ws://<host>:<port>/ws...] [--clients <n, default 3>] [--message-every <seconds, default 5>] [--drop-every <seconds: end each connection without a close frame>]";
const RECONNECT_MS = 1_000;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: { url?: string; clients?: string; "message-every"?: string; "drop-every"?: string; help?: boolean };
try {
  const options = { url: { type: "string" }, clients: { type: "string", default: "3" }, "message-every": { type: "string", default: "5" }, "drop-every": { type: "string" }, help: { type: "boolean", short: "h" } } as const;
  ({ values } = parseArgs({ options }));
} catch (err) {
  fail((err as Error).message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const url = values.url ?? fail("--url is required");
const urls = url.split(",");
for (const u of urls) if (!/^wss?:\/\/./.test(u)) fail(`--url ${u}: a ws:// or wss:// URL was expected`);
let nextUrl = 0;
const count = Number(values.clients);
const messageMs = Number(values["message-every"]) * 1000;
if (!Number.isInteger(count) || count < 1) fail(`--clients ${values.clients}: a whole number of at least 1 was expected`);
if (!(messageMs > 0)) fail(`--message-every ${values["message-every"]}: a positive number of seconds was expected`);
const dropMs = values["drop-every"] === undefined ? undefined : Number(values["drop-every"]) * 1000;
if (dropMs !== undefined && !(dropMs > 0)) fail(`--drop-every ${values["drop-every"]}: a positive number of seconds was expected`);

const clients = new Set<WebSocket>();
let open = 0;
let stopping = false;
let lastReport = "";

/** Says how many are connected, when that changed (not at every retry). */
function report(reason = ""): void {
  const line = open === count ? `${count} clients connected to ${url}` : `${open} of ${count} connected to ${url}: the others retry every ${RECONNECT_MS / 1000} s${reason && ` (${reason})`}`;
  if (line.split(" (")[0] === lastReport.split(" (")[0]) return;
  lastReport = line;
  console.log(`${new Date().toISOString()} ${line}`);
}

/** The instances in turn; never straight back to `lost`, the one whose connection just ended, while there is another. */
function connect(lost?: string): void {
  if (stopping) return;
  let target = urls[nextUrl++ % urls.length];
  if (target === lost && urls.length > 1) target = urls[nextUrl++ % urls.length];
  const ws = new WebSocket(target);
  clients.add(ws);
  let opened = false;
  let refused = "";
  let ticker: NodeJS.Timeout | undefined;
  let dropper: NodeJS.Timeout | undefined;
  ws.on("open", () => {
    opened = true;
    open++;
    ws.send("hello");
    ticker = setInterval(() => ws.send(`still here ${new Date().toISOString()}`), messageMs);
    // terminate(): the socket ends without a close frame, as a client that drops off the network.
    if (dropMs !== undefined) dropper = setTimeout(() => ws.terminate(), dropMs);
    report();
  });
  // An error is followed by "close": the reconnect is scheduled there.
  ws.on("error", (err) => (refused = err.message));
  ws.on("close", (code) => {
    clearInterval(ticker);
    clearTimeout(dropper);
    clients.delete(ws);
    if (opened) open--;
    if (stopping) return;
    report(opened ? `a connection ended, code ${code}` : refused || "the service does not answer");
    setTimeout(() => connect(target), RECONNECT_MS);
  });
}

function stop(): void {
  stopping = true;
  for (const ws of clients) ws.close(1000, "demo clients stopped");
  // Exit once every close handshake is done, or after a second without the service.
  const check = setInterval(() => clients.size === 0 && process.exit(0), 50);
  setTimeout(() => {
    clearInterval(check);
    process.exit(0);
  }, 1_000);
}

process.once("SIGTERM", stop);
process.once("SIGINT", stop);
for (let i = 0; i < count; i++) connect();
