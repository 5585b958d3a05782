/**
 * Rollouts as Prometheus sees them: within `sloRolloutWindow` a process of the job started
 * (`process_start_time_seconds`: each new pod of a Kubernetes rollout is a new instance with a new
 * start time; a restart in place has one too) or one drained its clients (`server_shutdown`
 * disconnections: a restart in place drains before its new process starts). The reconnect storm of a routine deploy is refused
 * in part (pods not ready yet, or near their limit) and gets in on the clients' retry: the handshake
 * objective counts the refusals outside rollouts only. Refusals that go on longer than the window
 * after the last start (clients cannot get back) count again.
 */
import type { Settings } from "../config/settings";
import { promDuration } from "../config/duration";

/** Where the objective excepts no rollout (`sloRolloutWindow` 0s), the dashboard still marks one this long. */
const MARKED_ROLLOUT_SECONDS = 300;

/** 1 (one series, no labels) while a process of the job started or drained within the rollout window; nothing otherwise. */
export function rolloutActive(s: Settings, selector = `{job="${s.scrape.jobName}"}`): string {
  const seconds = s.alerts.objectives.rolloutWindow.seconds || MARKED_ROLLOUT_SECONDS;
  const drained = `${selector.slice(0, -1)}, reason="server_shutdown"}`;
  return `(count(time() - process_start_time_seconds${selector} < ${seconds}) > 0 or sum(increase(${s.metrics.disconnectionsTotal}${drained}[${promDuration(seconds)}])) > 0)`;
}

/** At most this many steps in a subquery: a 30d panel at a 10s interval would evaluate 259,200. */
const MAX_STEPS = 4320;

/**
 * The SLO's bad events outside rollouts, as a per-step count: `bad` is a counter selector. Each
 * step adds the events of its span: an increase over at least 4 scrapes (a step's span alone may
 * hold too few samples), scaled to the step, and one span late: a drain's first refusals come
 * before Prometheus has scraped the drain, and are judged once it has. The step is the rules' interval (what Prometheus
 * records); a subquery over `windowSeconds` takes longer steps where it would need more than
 * MAX_STEPS (the ticket's 3d at 1m: exact; the dashboard's 30d: 10m steps, a rollout seen at each).
 */
export function eventsOutsideRollouts(s: Settings, bad: string, windowSeconds = 0): { step: string; perStep: string } {
  const every = s.alerts.evaluationInterval.seconds;
  const step = Math.max(1, Math.ceil(windowSeconds / MAX_STEPS / every)) * every;
  const span = Math.max(step, 4 * s.scrape.interval.seconds);
  const late = `sum(increase(${bad}[${promDuration(span)}] offset ${promDuration(span)}))`;
  const scaled = span === step ? late : `${late} * ${step / span}`;
  return { step: promDuration(step), perStep: `(${scaled} unless on () ${rolloutActive(s)})` };
}

/** Whether the objective judges rollouts apart (`sloRolloutWindow` above 0). */
export function excludesRollouts(s: Settings): boolean {
  return s.alerts.objectives.rolloutWindow.seconds > 0;
}

