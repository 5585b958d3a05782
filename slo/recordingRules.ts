/**
 * The Prometheus engine's recordings (as sloth writes them): each SLO's error ratio over every
 * window its alerts read, and over the whole period, averaged from the shortest recording so
 * that the period never needs the raw series of 30 days.
 */
import type { Settings } from "../config/settings";
import { errorRatioRecord } from "./conventions";
import { slos, sloWindows, type Slo } from "./model";

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

/** A PromQL selector of one SLO's recorded error ratio over `window`. */
export function recordedErrorRatio(slo: Slo, window: string): string {
  return ofSlo(slo, errorRatioRecord(window));
}

/** A recorded series of one SLO, by its labels. */
function ofSlo(slo: Slo, record: string): string {
  return `${record}{${Object.entries(slo.labels).map(([k, v]) => `${k}="${v}"`).join(", ")}}`;
}

export function recordingRules(s: Settings, slo: Slo): RecordingRule[] {
  const windows = sloWindows(slo);
  const period = s.alerts.objectives.period.text;
  const shortest = recordedErrorRatio(slo, windows[0]);
  const step = slo.stepRecording;
  return [
    // Recorded first: the rules of a group run in order, so the windows read this evaluation's step.
    ...(step ? [{ record: step.record, expr: step.expr, labels: slo.labels }] : []),
    ...windows.map((w) => ({ record: errorRatioRecord(w), expr: step ? step.ratio(w, ofSlo(slo, step.record)) : slo.errorRatio(w), labels: slo.labels })),
    { record: errorRatioRecord(period), expr: `sum_over_time(${shortest}[${period}]) / count_over_time(${shortest}[${period}])`, labels: slo.labels },
  ];
}

/** Every SLO's recordings, by SLO. */
export function sloRecordings(s: Settings): { slo: Slo; rules: RecordingRule[] }[] {
  return slos(s).map((slo) => ({ slo, rules: recordingRules(s, slo) }));
}
