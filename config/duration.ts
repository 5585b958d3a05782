/** Durations as Prometheus and Grafana write them (`30s`, `1h30m`), and in seconds. */
import type { Duration } from "./settings";

const DURATION = /^(\d+(ms|s|m|h|d|w))+$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

export function parseDuration(text: string): Duration | undefined {
  if (!DURATION.test(text)) return undefined;
  let seconds = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) seconds += Number(n) * UNIT_SECONDS[unit];
  return { text, seconds };
}

/** Seconds in the largest whole unit, for messages (`300` -> `5m`). */
export function describeSeconds(s: number): string {
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600}h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** Seconds as a Prometheus duration, largest units first: 3600 -> "1h", 150 -> "2m30s", 259200 -> "3d". */
export function promDuration(seconds: number): string {
  let rest = seconds;
  let out = "";
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out || "0s";
}

/** Seconds as a Duration of the settings (`text` as Prometheus writes it). */
export function durationOf(seconds: number): Duration {
  return { text: promDuration(seconds), seconds };
}
