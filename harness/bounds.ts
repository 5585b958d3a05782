/**
 * Every bound the tests and the benchmark wait with, from one place. A busy machine (CI sharing
 * two cores with builds) stretches what a process needs: the bounds are generous by default, and
 * WSMON_TEST_SLOWDOWN (a factor, default 1) stretches them all for a slower machine.
 */

const SLOWDOWN = (() => {
  const raw = process.env.WSMON_TEST_SLOWDOWN;
  const factor = raw === undefined || raw === "" ? 1 : Number(raw);
  if (!Number.isFinite(factor) || factor < 1) throw new Error(`WSMON_TEST_SLOWDOWN=${raw}: a number of at least 1 was expected (a factor that stretches every test bound)`);
  return factor;
})();

/** `ms` stretched by WSMON_TEST_SLOWDOWN. */
export const stretched = (ms: number): number => Math.round(ms * SLOWDOWN);

/** A server's start, until it answers (Prometheus replays its WAL, tsx compiles the service). */
export const START_TIMEOUT_MS = stretched(30_000);
/** One HTTP request to a local server, until its answer has arrived whole. */
export const HTTP_TIMEOUT_MS = stretched(15_000);
/** One WebSocket event (open, echo, close) of a local client. */
export const EVENT_TIMEOUT_MS = stretched(15_000);
/** A one-shot command (promtool, amtool, the render CLI). */
export const COMMAND_TIMEOUT_MS = stretched(180_000);
/**
 * The component package under Pulumi's run-plugin, until it prints its port (tsx compiles the
 * components) and until GetSchema answers (TypeScript reads the whole program): 5 s each on a
 * busy 2-core machine.
 */
export const COMPONENT_PLUGIN_TIMEOUT_MS = stretched(120_000);
/** A stopped process, until it has exited (SIGKILL after the first half). */
export const EXIT_TIMEOUT_MS = stretched(10_000);
/** One Pulumi operation of the real engine (up, preview, refresh, destroy) on the test's control plane. */
export const ENGINE_OPERATION_TIMEOUT_MS = stretched(5 * 60_000);
/** Alert deadlines are this many times their worst case computed from the stack's intervals. */
export const DEADLINE_FACTOR = 2 * SLOWDOWN;

/**
 * `promise`, or a rejection after `ms` that says what was awaited, for how long, and (from
 * `detail`, e.g. a process's last output) what was seen meanwhile.
 */
export async function within<T>(what: string, promise: Promise<T>, ms: number, detail?: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms${detail ? `\n${detail()}` : ""}`)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** fetch() with a bound: a server that accepts but never answers fails the call, naming the URL. */
export async function fetchWithin(url: string | URL, init: RequestInit = {}, ms = HTTP_TIMEOUT_MS): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(ms) });
  } catch (err) {
    if ((err as Error).name === "TimeoutError") throw new Error(`${init.method ?? "GET"} ${url}: no answer within ${ms} ms`);
    throw err;
  }
}

/** The deadline for something whose worst case is `boundMs`: a multiple of it, plus room for a slow process start or scheduling. */
export const deadlineMs = (boundMs: number): number => Math.round(DEADLINE_FACTOR * boundMs + stretched(10_000));
