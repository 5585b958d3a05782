/**
 * The true open-connection count over time, as the load generator set it: the oracle for what a
 * query with `offset <window>` must see. A sample is taken once per scrape interval, so around
 * each change the value a query sees is uncertain; the timeline says so instead of guessing.
 */
export type PastCount = number | "no data" | "uncertain";

interface Change {
  /** ms since epoch: the step started ... */
  from: number;
  /** ... and was complete (every client open or closed). */
  to: number;
  count: number;
}

export class CountTimeline {
  private readonly changes: Change[] = [];

  /** @param sampleSpanMs how old the latest sample may be: the scrape interval plus some jitter. */
  constructor(private readonly sampleSpanMs: number) {}

  record(from: number, to: number, count: number): void {
    this.changes.push({ from, to, count });
  }

  /** What the latest sample at or before `time` (ms) shows. */
  at(time: number): PastCount {
    const earliestSample = time - this.sampleSpanMs;
    if (this.changes.some((c) => c.from <= time && c.to >= earliestSample)) return "uncertain";
    const last = this.changes.filter((c) => c.to < earliestSample).at(-1);
    return last ? last.count : "no data";
  }
}
