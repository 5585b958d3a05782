/**
 * Exclusions of Grafana's dashboard linter as its `.lint` file states them (lint/configuration.go:
 * per rule a reason and entries, each an exact match of dashboard title, panel title and, when
 * set, target index; a rule without entries is excluded everywhere).
 */

/** One excused problem: an exact match of the dashboard title, the panel title and (when set) the target's index. */
export interface LintExclusionEntry {
  reason?: string;
  dashboard: string;
  panel?: string;
  targetIdx?: string;
}

/** The `.lint` file's shape: per rule, the problems it excuses (all of the rule's when there are no entries). */
export interface LintConfig {
  exclusions: Record<string, { reason: string; entries?: LintExclusionEntry[] }>;
}

/** Where a problem was found: the panel and target the linter's result context names. */
export interface At {
  panel?: string;
  targetIdx?: number;
}

/** Whether `config` excuses the problem `rule` found in `dashboard` at `at`, as ConfigurationEntry.IsMatch decides. */
export function excluded(config: LintConfig | undefined, rule: string, dashboard: string, at: At): boolean {
  const exclusion = config?.exclusions[rule];
  if (!exclusion) return false;
  const entries = exclusion.entries ?? [];
  return (
    entries.length === 0 ||
    entries.some(
      (e) => e.dashboard === dashboard && (at.panel === undefined || e.panel === at.panel) && (at.targetIdx === undefined || e.targetIdx === undefined || Number(e.targetIdx) === at.targetIdx),
    )
  );
}
