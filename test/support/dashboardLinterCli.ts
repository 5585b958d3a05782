/**
 * Grafana's dashboard-linter (the real binary, test/support/fieldTools.ts) on a dashboard file,
 * its report read back as problems. It prints each rule's description, then that rule's results
 * (`[❌] Dashboard '<title>', panel '<title>', target idx '<i>' <message>`; some twice):
 * `dashboard-linter rules` maps the descriptions back to rule names.
 */
import { runCommand } from "../../harness/processes";
import { fieldTool } from "./fieldTools";

export interface LinterProblem {
  rule: string;
  severity: "error" | "warning";
  dashboard: string;
  panel?: string;
  targetIdx?: number;
  message: string;
}

export interface LinterRun {
  code: number | null;
  problems: LinterProblem[];
  /** The command, its exit and its output, for assertion messages. */
  summary: string;
}

const ANSI = /\x1b\[[0-9;]*m/g;
const RESULT = /^\[(❌|⚠️?)\] (Dashboard '(.*?)'(?:, panel '(.*?)')?(?:, target idx '(\d+)')?.*)$/u;

let rules: Promise<Map<string, string>> | undefined;

/** The linter's rules, description to name, as `dashboard-linter rules` lists them (`* \`name\` - description`). */
export function linterRules(): Promise<Map<string, string>> {
  rules ??= runCommand(fieldTool("dashboard-linter"), ["rules"]).then((result) => {
    if (result.code !== 0) throw new Error(`dashboard-linter rules failed: ${result.summary}`);
    return new Map([...result.stdout.matchAll(/^\* `([a-z-]+)` - (.+)$/gm)].map((m) => [m[2].trim(), m[1]]));
  });
  return rules;
}

/**
 * `dashboard-linter lint --strict <file>`: with the `.lint` beside the file, as users run it, or
 * with `config` instead. Throws on a report line it cannot read, so that a changed format fails loudly.
 */
export async function lintDashboardFile(file: string, config?: string): Promise<LinterRun> {
  const byDescription = await linterRules();
  const result = await runCommand(fieldTool("dashboard-linter"), ["lint", "--strict", ...(config ? ["--config", config] : []), file]);
  const problems = new Map<string, LinterProblem>();
  let rule: string | undefined;
  for (const line of result.stdout.replace(ANSI, "").split("\n").filter(Boolean)) {
    if (byDescription.has(line.trim())) {
      rule = byDescription.get(line.trim());
      continue;
    }
    const m = RESULT.exec(line);
    if (!m || !rule) throw new Error(`dashboard-linter's report has a line this reader does not know: '${line}'\n${result.summary}`);
    const [, symbol, message, dashboard, panel, idx] = m;
    const problem: LinterProblem = { rule, severity: symbol === "❌" ? "error" : "warning", dashboard, message, ...(panel !== undefined && { panel }), ...(idx !== undefined && { targetIdx: Number(idx) }) };
    problems.set(`${rule} ${message}`, problem);
  }
  return { code: result.code, problems: [...problems.values()], summary: result.summary };
}
