/**
 * The rule files that the promtool tests of test/rules/ name, written beside them: `rules.yml`
 * (every group), and `rules-without-objectives.yml` (without the objectives' groups) for the
 * tests that assert nothing about the objectives. The objectives' recordings over windows of up
 * to three days cost promtool about eight times the rest at every evaluation, and a day-long
 * curve evaluated every 30s would spend a minute on them while asserting nothing about them.
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

export function writeRuleTestFiles(rulesYaml: string, dir: string): void {
  writeFileSync(path.join(dir, RULES_FILE), rulesYaml);
  const { groups } = parse(rulesYaml) as RuleFile;
  // An objective's group is the one whose rules carry its `slo` label.
  const rest = groups.filter((g) => !g.rules.some((r) => r.labels?.[SLO_LABEL] !== undefined));
  if (rest.length === groups.length) throw new Error(`no rule group with the ${SLO_LABEL} label in ${RULES_FILE}: cannot leave the objectives out`);
  writeFileSync(path.join(dir, RULES_WITHOUT_OBJECTIVES), toYaml({ groups: rest }));
}
