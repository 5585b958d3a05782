/** What the figures of `npm run bench` share: how many runs, where notifications go, how a figure is printed. */
import type { Settings } from "../config/settings";
import { sleep } from "../harness/processes";

export const RUNS = 3;
export const WEBHOOK_PATH = "/bench";

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/**
 * Waits a random part of an evaluation interval. Each run's preconditions are seen just after an
 * evaluation, so without this every run would start at the same phase and measure about the worst case.
 */
export function randomPhase(s: Settings): Promise<void> {
  return sleep(Math.random() * s.alerts.evaluationInterval.seconds * 1000);
}
