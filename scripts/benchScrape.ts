/** `npm run bench`, figure 5: the cost of one scrape of the reference service's /ws/metrics at 1k and 10k open connections. */
import { LoadGenerator } from "../harness/load";
import { runCommand } from "../harness/processes";
import { startReferenceService } from "../harness/servers";
import { PATHS } from "../service/contract";

export const SCRAPE_LOADS = [1_000, 10_000];
const WARMUP_SCRAPES = 5;
const MEASURED_SCRAPES = 50;
/** File descriptors each process needs besides one per connection. */
const FD_HEADROOM = 200;

async function openFileLimit(): Promise<number> {
  const result = await runCommand("sh", ["-c", "ulimit -n"]);
  return result.stdout.trim() === "unlimited" ? Infinity : Number(result.stdout.trim());
}

export async function scrapeCost(): Promise<void> {
  const limit = await openFileLimit();
  const loads = SCRAPE_LOADS.filter((n) => n + FD_HEADROOM <= limit);
  console.log(`5) cost of one scrape of ${PATHS.metrics} (mean of ${MEASURED_SCRAPES} scrapes after ${WARMUP_SCRAPES} warm-up; ulimit -n ${limit})`);
  for (const n of SCRAPE_LOADS.filter((x) => !loads.includes(x))) {
    console.log(`   ${n} connections: skipped, needs ulimit -n >= ${n + FD_HEADROOM} (run 'ulimit -n ${n + FD_HEADROOM}' first)`);
  }
  const service = await startReferenceService();
  const load = new LoadGenerator(service.wsUrl);
  const metricsUrl = `${service.url}${PATHS.metrics}`;
  const results = new Map<number, { ms: number; bytes: number }>();
  try {
    for (const n of loads) {
      await load.setConnections(n);
      let totalMs = 0;
      let bytes = 0;
      for (let i = 0; i < WARMUP_SCRAPES + MEASURED_SCRAPES; i++) {
        const start = performance.now();
        const body = await (await fetch(metricsUrl)).text();
        if (i < WARMUP_SCRAPES) continue;
        totalMs += performance.now() - start;
        bytes = Buffer.byteLength(body);
      }
      results.set(n, { ms: totalMs / MEASURED_SCRAPES, bytes });
      console.log(`   ${n} connections: ${(totalMs / MEASURED_SCRAPES).toFixed(2)} ms per scrape, ${bytes} bytes`);
    }
  } finally {
    load.terminateAll();
    await service.process.stop();
  }
  const [small, large] = SCRAPE_LOADS.map((n) => results.get(n));
  if (small && large) {
    console.log(`   ratio ${SCRAPE_LOADS[1]}/${SCRAPE_LOADS[0]}: time ${(large.ms / small.ms).toFixed(2)}, bytes ${(large.bytes / small.bytes).toFixed(2)}`);
  }
}
