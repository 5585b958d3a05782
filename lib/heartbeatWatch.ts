/**
 * The receiving end of the dead man's switch, for the local webhook receiver
 * (scripts/webhook-receiver.ts): `WebSocketMonitoringHeartbeat` arrives every heartbeatInterval
 * while Prometheus evaluates and Alertmanager delivers. Its absence is the alarm, since a dead
 * Prometheus or Alertmanager sends nothing else: after a grace without a beat the watcher reports
 * "heartbeat missing", and "heartbeat back" at the next beat. It watches only from the first beat
 * on: before it, silence means "not started yet" (the receiver starts before Alertmanager), not
 * "broken". Pure but for the clock, which the unit test replaces.
 */

/**
 * Silence tolerated beyond two intervals. Two, because a single lost or late beat is no outage: a
 * beat may come up to one evaluation interval late (at most heartbeatInterval, which validation
 * enforces). The margin covers Alertmanager's 1 s flush tick of the heartbeat route and delivery.
 */
export const GRACE_MARGIN_MS = 5_000;

/** How long the watcher waits after a beat before it reports "heartbeat missing": 2 x interval + margin. */
export const heartbeatGraceMs = (intervalMs: number): number => 2 * intervalMs + GRACE_MARGIN_MS;

/** The time and timers the watcher uses; the system's by default. */
export interface Clock {
  now(): number;
  setTimeout(fire: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fire, ms) => setTimeout(fire, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

export type HeartbeatEvent =
  /** No beat since `lastBeatAt` (ms since epoch), for `graceMs`: the alert path is down. */
  | { event: "heartbeat missing"; at: number; lastBeatAt: number; graceMs: number }
  /** Beats again, after `silentMs` without one. */
  | { event: "heartbeat back"; at: number; lastBeatAt: number; silentMs: number };

export class HeartbeatWatcher {
  readonly graceMs: number;
  private lastBeatAt?: number;
  private missing = false;
  private timer: unknown;

  constructor(
    intervalMs: number,
    private readonly report: (e: HeartbeatEvent) => void,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(intervalMs > 0)) throw new Error(`heartbeat interval ${intervalMs} ms: a positive interval was expected`);
    this.graceMs = heartbeatGraceMs(intervalMs);
  }

  /** A heartbeat arrived: (re)starts the grace, and ends a reported absence. */
  beat(): void {
    const now = this.clock.now();
    if (this.missing && this.lastBeatAt !== undefined) {
      this.missing = false;
      this.report({ event: "heartbeat back", at: now, lastBeatAt: this.lastBeatAt, silentMs: now - this.lastBeatAt });
    }
    this.lastBeatAt = now;
    this.stop();
    this.timer = this.clock.setTimeout(() => this.expire(), this.graceMs);
  }

  /** Stops watching (the receiver shuts down). */
  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Reported once per absence: the record says when it began; a repeat would add nothing. */
  private expire(): void {
    this.timer = undefined;
    this.missing = true;
    this.report({ event: "heartbeat missing", at: this.clock.now(), lastBeatAt: this.lastBeatAt!, graceMs: this.graceMs });
  }
}

/** The event as one JSON line (for .local/heartbeat.jsonl): times in ISO 8601, durations in seconds. */
export function heartbeatRecord(e: HeartbeatEvent): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  const common = { at: iso(e.at), event: e.event, lastBeatAt: iso(e.lastBeatAt) };
  return JSON.stringify(e.event === "heartbeat missing" ? { ...common, graceSeconds: e.graceMs / 1000 } : { ...common, silentSeconds: e.silentMs / 1000 });
}

/** The event as a sentence, for the receiver's log. */
export function describeHeartbeatEvent(e: HeartbeatEvent): string {
  const since = new Date(e.lastBeatAt).toISOString();
  return e.event === "heartbeat missing"
    ? `heartbeat missing: none since ${since} (${e.graceMs / 1000} s): Prometheus or Alertmanager is down, and no alert would reach anyone`
    : `heartbeat back: beats again after ${Math.round(e.silentMs / 1000)} s without one (last before the gap: ${since})`;
}
