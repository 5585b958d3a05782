/** Polling with a deadline: for state that converges (a scrape, a rule evaluation) rather than an event. */
import { sleep } from "./processes";

export interface PollResult<T> {
  value: T;
  elapsedMs: number;
}

/**
 * Calls `probe` until `accept` holds for its value, at most `timeoutMs`. Errors of the probe
 * (e.g. connection refused while a server starts) count as "not yet". On timeout the error
 * names what was awaited and the last value or error seen.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs, intervalMs = 100 }: { timeoutMs: number; intervalMs?: number },
): Promise<PollResult<T>> {
  const start = Date.now();
  let last: unknown = "nothing yet";
  for (;;) {
    try {
      const value = await probe();
      if (accept(value)) return { value, elapsedMs: Date.now() - start };
      last = value;
    } catch (err) {
      last = err instanceof Error ? `error: ${err.message}` : err;
    }
    if (Date.now() - start >= timeoutMs) {
      throw new Error(`${what}: not within ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * The first item of `received()` that arrived at or after `since` and that `match` accepts (a
 * notification, a message), polled until `timeoutMs`; on timeout the error also lists `arrived()`.
 */
export async function waitForArrival<T extends { receivedAt: number }>(
  what: string,
  received: () => T[],
  match: (item: T) => boolean,
  { since, timeoutMs, arrived }: { since: number; timeoutMs: number; arrived: () => string },
): Promise<T> {
  try {
    const { value } = await pollUntil(what, async () => received().find((x) => x.receivedAt >= since && match(x)), (x) => x !== undefined, { timeoutMs, intervalMs: 50 });
    return value!;
  } catch (err) {
    throw new Error(`${(err as Error).message}\nreceived: ${arrived()}`);
  }
}
