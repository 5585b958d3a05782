/** What the end-to-end tests count as a page (harness/webhookInbox.ts `pages`): a group's partial resolution is not one, a repeat is. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pages, type Notification } from "../../harness/webhookInbox";

type Status = Notification["status"];
const notification = (status: Status, alerts: [reason: string, status: Status][]): Notification => ({
  status,
  receiver: "websocket-test-critical",
  path: "/alerts",
  receivedAt: 0,
  alerts: alerts.map(([reason, s]) => ({ status: s, labels: { alertname: "WebSocketServiceDown", reason }, annotations: {} })),
});
const page = notification("firing", [["scrape_failed", "firing"], ["health_failed", "firing"]]);

test("the scrape back before the probe: the group's update is no page, nor the all-clear", () => {
  const update = notification("firing", [["scrape_failed", "resolved"], ["health_failed", "firing"]]);
  const allClear = notification("resolved", [["scrape_failed", "resolved"], ["health_failed", "resolved"]]);
  assert.deepEqual(pages([page, update, allClear]), [page]);
});

test("the same alerts notified again (a lost notification log) page again; so does an alert new to the group", () => {
  const repeat = notification("firing", [["scrape_failed", "firing"], ["health_failed", "firing"]]);
  const more = notification("firing", [["scrape_failed", "resolved"], ["health_failed", "firing"], ["crash_loop", "firing"]]);
  assert.deepEqual(pages([page, repeat]), [page, repeat]);
  assert.deepEqual(pages([page, more]), [page, more]);
});
