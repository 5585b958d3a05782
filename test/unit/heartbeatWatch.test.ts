/** The local receiver's dead man's switch (lib/heartbeatWatch.ts) on a clock the test moves. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { GRACE_MARGIN_MS, HeartbeatWatcher, describeHeartbeatEvent, heartbeatGraceMs, heartbeatRecord, type Clock, type HeartbeatEvent } from "../../lib/heartbeatWatch";

/** Time moves only when the test says; due timers fire in order as it passes them. */
class FakeClock implements Clock {
  private time = Date.UTC(2025, 0, 1, 12);
  private timers = new Map<number, { at: number; fire: () => void }>();
  private nextId = 1;
  now = () => this.time;
  setTimeout = (fire: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, fire });
    return id;
  };
  clearTimeout = (id: unknown) => void this.timers.delete(id as number);
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const [id, due] = [...this.timers].filter(([, t]) => t.at <= end).sort(([, a], [, b]) => a.at - b.at)[0] ?? [];
      if (id === undefined) break;
      this.timers.delete(id);
      this.time = due!.at;
      due!.fire();
    }
    this.time = end;
  }
  get pending(): number {
    return this.timers.size;
  }
}

const INTERVAL_MS = 60_000;
const GRACE_MS = 2 * INTERVAL_MS + GRACE_MARGIN_MS;

function watch() {
  const clock = new FakeClock();
  const events: HeartbeatEvent[] = [];
  const watcher = new HeartbeatWatcher(INTERVAL_MS, (e) => events.push(e), clock);
  return { clock, events, watcher };
}

describe("HeartbeatWatcher", () => {
  test("the grace is two intervals and the margin", () => {
    assert.equal(heartbeatGraceMs(INTERVAL_MS), GRACE_MS);
    assert.equal(watch().watcher.graceMs, GRACE_MS);
    assert.throws(() => new HeartbeatWatcher(0, () => {}), /heartbeat interval 0 ms: a positive interval was expected/);
  });

  test("silent before the first beat: a receiver waiting for Alertmanager is not an outage", () => {
    const { clock, events } = watch();
    clock.advance(10 * GRACE_MS);
    assert.deepEqual(events, []);
    assert.equal(clock.pending, 0);
  });

  test("beats on time, late by up to one interval, or one lost: no alarm", () => {
    const { clock, events, watcher } = watch();
    for (const gap of [INTERVAL_MS, INTERVAL_MS, 2 * INTERVAL_MS, INTERVAL_MS + 9_000, GRACE_MS - 1]) {
      watcher.beat();
      clock.advance(gap);
    }
    watcher.beat();
    assert.deepEqual(events, []);
    assert.equal(clock.pending, 1, "one grace timer, not one per beat");
  });

  test("no beat for the grace: 'heartbeat missing' once, at the end of the grace; 'heartbeat back' at the next beat", () => {
    const { clock, events, watcher } = watch();
    watcher.beat();
    const lastBeatAt = clock.now();
    clock.advance(GRACE_MS - 1);
    assert.equal(events.length, 0, "reported before the grace was over");
    clock.advance(1);
    assert.deepEqual(events, [{ event: "heartbeat missing", at: lastBeatAt + GRACE_MS, lastBeatAt, graceMs: GRACE_MS }]);
    clock.advance(10 * GRACE_MS);
    assert.equal(events.length, 1, "reported again while still missing");

    watcher.beat();
    assert.deepEqual(events[1], { event: "heartbeat back", at: clock.now(), lastBeatAt, silentMs: 11 * GRACE_MS });
    // Watching again: the next silence is a new absence.
    clock.advance(GRACE_MS);
    assert.deepEqual(events.map((e) => e.event), ["heartbeat missing", "heartbeat back", "heartbeat missing"]);
  });

  test("stop() ends the watch", () => {
    const { clock, events, watcher } = watch();
    watcher.beat();
    watcher.stop();
    clock.advance(2 * GRACE_MS);
    assert.deepEqual(events, []);
  });

  test("records and log lines say what happened and since when", () => {
    const lastBeatAt = Date.UTC(2025, 0, 1, 12);
    const missing: HeartbeatEvent = { event: "heartbeat missing", at: lastBeatAt + GRACE_MS, lastBeatAt, graceMs: GRACE_MS };
    const back: HeartbeatEvent = { event: "heartbeat back", at: lastBeatAt + 200_000, lastBeatAt, silentMs: 200_000 };
    assert.deepEqual(JSON.parse(heartbeatRecord(missing)), { at: "2025-01-01T12:02:05.000Z", event: "heartbeat missing", lastBeatAt: "2025-01-01T12:00:00.000Z", graceSeconds: 125 });
    assert.deepEqual(JSON.parse(heartbeatRecord(back)), { at: "2025-01-01T12:03:20.000Z", event: "heartbeat back", lastBeatAt: "2025-01-01T12:00:00.000Z", silentSeconds: 200 });
    assert.match(describeHeartbeatEvent(missing), /^heartbeat missing: none since 2025-01-01T12:00:00\.000Z \(125 s\)/);
    assert.match(describeHeartbeatEvent(back), /^heartbeat back: beats again after 200 s without one/);
  });
});
