/**
 * Cloudflare's pint (the real binary, test/support/fieldTools.ts) on rendered rule files, with the
 * project's `.pint.hcl` and `--fail-on warning`: a Bug or a Warning fails the run. Offline, or also
 * with the checks that query a Prometheus (series present, labels, retention against the windows).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Services } from "../../config/settings";
import { PROJECT_DIR } from "../../config/stackFile";
import { runCommand } from "../../harness/processes";
import { RENDERED, writeRenderedFiles } from "../../render/renderedFiles";
import { fieldTool } from "./fieldTools";

export const PINT_CONFIG = path.join(PROJECT_DIR, ".pint.hcl");

export interface PintRun {
  code: number | null;
  /** Each problem's headline, e.g. "Warning: rule uses metric … (rule/dependency)". */
  problems: string[];
  summary: string;
}

/**
 * `pint lint --fail-on warning <file>`: offline, or, with `prometheusUrl`, with a config of
 * `.pint.hcl` plus that Prometheus (written beside `file`), so that its online checks run too.
 */
export async function pintLint(file: string, prometheusUrl?: string): Promise<PintRun> {
  let config = PINT_CONFIG;
  if (prometheusUrl) {
    config = path.join(path.dirname(file), "pint-online.hcl");
    writeFileSync(config, `${readFileSync(PINT_CONFIG, "utf8")}\nprometheus "under-test" {\n  uri     = "${prometheusUrl}"\n  timeout = "30s"\n}\n`);
  }
  const result = await runCommand(fieldTool("pint"), ["--no-color", "--config", config, ...(prometheusUrl ? [] : ["--offline"]), "lint", "--fail-on", "warning", file]);
  const problems = (result.stdout + result.stderr).split("\n").filter((line) => /^(Fatal|Bug|Warning|Information):/.test(line));
  return { code: result.code, problems, summary: result.summary };
}

/** pintLint on the rule file rendered for `services`, in a folder of its own (removed after). */
export async function pintRendered(services: Services, prometheusUrl?: string): Promise<PintRun> {
  const dir = mkdtempSync(path.join(tmpdir(), "websocket-monitoring-pint-"));
  try {
    writeRenderedFiles(services, dir);
    return await pintLint(path.join(dir, RENDERED.rules), prometheusUrl);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
