/**
 * Grafana alert rule uids (lib/uids.ts alertRuleUidOf): explicit, from the rule's environment,
 * group, alert and severity. Grafana's provider keeps a rule without one at its position's uid, so
 * inserting WebSocketInstanceImbalance had moved the uids (and their history, silences and links)
 * of the rules after it onto other alerts.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { grafanaHeartbeatGroups, grafanaRuleGroups } from "../../alerts/grafana";
import { stackNames } from "../../config/stackFile";
import { MAX_UID_LENGTH } from "../../lib/uids";
import { servicesFromStackFile } from "../../render/stackSettings";

const FIXTURES_DIR = path.join(__dirname, "..", "fixtures");
/** Every optional rule on: the WebSocket layer's signals and the heartbeat. */
const EVERY_SIGNAL = { exposesUpgrades: "true", exposesCloseCodes: "true", exposesConnectionLimit: "true" };
const HEARTBEAT = { heartbeatUrl: "https://hc-ping.example.com/heartbeat" };

interface Placed {
  where: string;
  key: string;
  uid: string;
  position: number;
}

/** Every Grafana rule of a stack's services and environment: where, which alert, its uid, its position in its group. */
function placedRules(stack: string, overrides: Record<string, string> = {}, dir?: string): Placed[] {
  const services = servicesFromStackFile(stack, overrides, dir, HEARTBEAT);
  const groups = [...services.flatMap(grafanaRuleGroups), ...grafanaHeartbeatGroups(services)];
  return groups.flatMap((g) => g.rules.map((r, position) => ({ where: `${stack} ${g.name}`, key: `${r.name} ${r.labels.severity}`, uid: r.uid, position })));
}

const STACKS: Placed[] = [...stackNames().flatMap((stack) => placedRules(stack, EVERY_SIGNAL)), ...placedRules("services", EVERY_SIGNAL, FIXTURES_DIR)];

describe("Grafana alert rule uids", () => {
  test("each at most 40 of Grafana's uid characters, and unique across every committed stack and the two-service fixture", () => {
    assert.deepEqual([...new Set(STACKS.map((r) => r.where.split(" ")[0]))].sort(), [...stackNames(), "services"].sort());
    const seen = new Map<string, Placed>();
    for (const r of STACKS) {
      assert.match(r.uid, new RegExp(`^[A-Za-z0-9_-]{1,${MAX_UID_LENGTH}}$`), `${r.where} ${r.key}`);
      const other = seen.get(r.uid);
      assert.equal(other, undefined, `${r.where} ${r.key} has the uid of ${other?.where} ${other?.key}`);
      seen.set(r.uid, r);
    }
  });

  test("readable: the alert's name without 'WebSocket', then the hash; a page and a ticket of one objective differ", () => {
    const prod = placedRules("prod");
    const uid = (key: string) => prod.find((r) => r.key === key)!.uid;
    assert.match(uid(`${ALERT_NAMES.serviceDown} critical`), /^ServiceDown-[0-9a-f]{10}$/);
    const [page, ticket] = ["critical", "warning"].map((severity) => uid(`${ALERT_NAMES.availabilityBudgetBurn} ${severity}`));
    assert.match(page, /^AvailabilityBudgetBurn-/);
    assert.match(ticket, /^AvailabilityBudgetBurn-/);
    assert.notEqual(page, ticket);
  });

  test("inserting rules moves no uid: the WebSocket layer's optional rules added before others, every other rule keeps its uid", () => {
    const without = placedRules("prod");
    const withLayer = placedRules("prod", EVERY_SIGNAL);
    const after = new Map(withLayer.map((r) => [`${r.where} ${r.key}`, r]));
    assert.ok(withLayer.length > without.length, "no rule inserted");
    // The test means something only if some rule now stands elsewhere in its group.
    assert.ok(without.some((r) => after.get(`${r.where} ${r.key}`)?.position !== r.position), "no rule moved");
    for (const r of without) assert.equal(after.get(`${r.where} ${r.key}`)?.uid, r.uid, `${r.where} ${r.key}`);
  });

  test("a changed threshold or evaluation interval keeps every uid", () => {
    const changed = placedRules("prod", { connectionsMax: "12345", alertEvaluationInterval: "30s" });
    assert.deepEqual(changed.map((r) => r.uid), placedRules("prod").map((r) => r.uid));
  });
});
