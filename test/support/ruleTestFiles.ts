/**
 * The rule files that the promtool tests of test/rules/ name, written beside them: `rules.yml`
 * (every group); `rules-without-objectives.yml` (without the objectives' groups) for the tests
 * that assert nothing about the objectives; and `rules-slo-<name>.yml` (that objective's group
 * alone) for each objective's own tests. An objective's recordings over windows of up to three
 * days cost promtool about eight times the rest at every evaluation, and the rest (the outage's
 * subqueries) about as much again over the days an objective's test spans: a test evaluates only
 * the rules it asserts about, and each file still asserts on every rule of the groups it loads.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { toYaml } from "../../lib/yaml";
import { RULES_FILE } from "../../scrape/model";
import { SLO_LABEL } from "../../slo/conventions";

export const RULES_WITHOUT_OBJECTIVES = "rules-without-objectives.yml";

interface RuleFile {
  groups: { name: string; rules: { labels?: Record<string, string> }[] }[];
}

/** The objective a group belongs to: the `slo` label its rules carry. */
const objectiveOf = (g: RuleFile["groups"][number]) => g.rules.find((r) => r.labels?.[SLO_LABEL] !== undefined)?.labels?.[SLO_LABEL];

export function writeRuleTestFiles(rulesYaml: string, dir: string): void {
  writeFileSync(path.join(dir, RULES_FILE), rulesYaml);
  const { groups } = parse(rulesYaml) as RuleFile;
  const objectives = [...new Set(groups.flatMap((g) => objectiveOf(g) ?? []))];
  if (objectives.length === 0) throw new Error(`no rule group with the ${SLO_LABEL} label in ${RULES_FILE}: cannot leave the objectives out`);
  writeFileSync(path.join(dir, RULES_WITHOUT_OBJECTIVES), toYaml({ groups: groups.filter((g) => objectiveOf(g) === undefined) }));
  for (const slo of objectives) writeFileSync(path.join(dir, `rules-slo-${slo}.yml`), toYaml({ groups: groups.filter((g) => objectiveOf(g) === slo) }));
}
