/**
 * The local stack's webhook contact point: appends every alert notification it receives
 * as one JSON line to --out (`{"receivedAt":…,"path":…,"payload":{…}}`, lib/webhookServer.ts), so
 * a person (e.g. with jq) or a test can see what was delivered and when.
 * With --heartbeat-path and --heartbeat-interval (the stack's heartbeatInterval, which local.sh
 * passes) it is also the dead man's switch: POSTs to that path are the heartbeat, and when they
 * stop for 2 x heartbeatInterval + 5 s (lib/heartbeatWatch.ts) it appends "heartbeat missing" to
 * --heartbeat-out and logs it, then "heartbeat back" when they resume.
 */
import { appendFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseDuration } from "../config/duration";
import { HeartbeatWatcher, describeHeartbeatEvent, heartbeatRecord } from "../lib/heartbeatWatch";
import { startWebhookServer, webhookRecord } from "../lib/webhookServer";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "9099" },
    out: { type: "string", default: "webhook.jsonl" },
    "heartbeat-path": { type: "string" },
    "heartbeat-interval": { type: "string" },
    "heartbeat-out": { type: "string", default: "heartbeat.jsonl" },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const heartbeatPath = values["heartbeat-path"];
const interval = values["heartbeat-interval"] === undefined ? undefined : parseDuration(values["heartbeat-interval"]);
if ((heartbeatPath === undefined) !== (values["heartbeat-interval"] === undefined)) fail("--heartbeat-path and --heartbeat-interval go together");
if (values["heartbeat-interval"] !== undefined && !interval?.seconds) fail(`--heartbeat-interval ${values["heartbeat-interval"]}: a duration such as 1m was expected`);

const watcher =
  heartbeatPath && interval
    ? new HeartbeatWatcher(interval.seconds * 1000, (e) => {
        appendFileSync(values["heartbeat-out"]!, heartbeatRecord(e) + "\n");
        console.log(describeHeartbeatEvent(e));
      })
    : undefined;

startWebhookServer(Number(values.port), (delivery) => {
  appendFileSync(values.out!, webhookRecord(delivery) + "\n");
  // Any POST to the heartbeat's path is a beat, as with healthchecks-style services.
  if (watcher && delivery.path.split("?")[0] === heartbeatPath) watcher.beat();
}).then(
  (server) => {
    console.log(`webhook receiver on ${server.url}/ writing ${values.out}`);
    if (watcher) console.log(`heartbeat expected at ${heartbeatPath} every ${interval!.text}: "heartbeat missing" after ${watcher.graceMs / 1000} s without one, in ${values["heartbeat-out"]}`);
  },
  (err: Error) => fail(err.message),
);
