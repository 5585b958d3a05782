/**
 * The one dashboard convention the suite checks itself, because dashboard-linter does not: a
 * counter (`*_total`) is read only through rate, irate or increase over a range. The linter's
 * target-counter-agg-rule looks only at selectors without label matchers, and every selector here
 * has them (each pins its job), so `sum(websocket_connections_total{job=~"$job", instance=~"$instance"})`
 * passes it (test/unit/dashboardLint.test.ts shows that). Parsed with the Prometheus project's
 * own PromQL grammar (@prometheus-io/lezer-promql).
 */
import type { SyntaxNode } from "@lezer/common";
import type { LRParser } from "@lezer/lr";

// The grammar package ships CommonJS beside its ES module; its typings are the ES module's only.
const { parser } = require("@prometheus-io/lezer-promql") as { parser: LRParser };

const COUNTER_FUNCTIONS = ["rate", "irate", "increase"];

/** Grafana's variables outside string literals (`[$__rate_interval]`) as a duration, so that the expression parses. */
const withDurations = (expr: string) => expr.split('"').map((part, i) => (i % 2 ? part : part.replace(/\$\{?\w+\}?/g, "5m"))).join('"');

/** The function whose argument `range` (a MatrixSelector, perhaps under `offset`) is. */
function functionOf(range: SyntaxNode, text: (n: SyntaxNode) => string): string | undefined {
  const argument = range.parent?.name === "OffsetExpr" ? range.parent : range;
  const call = argument.parent?.name === "FunctionCallBody" ? argument.parent.parent : null;
  const id = call?.name === "FunctionCall" ? call.getChild("FunctionIdentifier") : null;
  return id ? text(id) : undefined;
}

/** What is wrong with `expr`: each counter read outside rate, irate or increase; or that it does not parse. */
export function counterProblems(expr: string): string[] {
  const source = withDurations(expr);
  const text = (n: SyntaxNode) => source.slice(n.from, n.to);
  const problems: string[] = [];
  parser.parse(source).iterate({
    enter: (ref) => {
      if (ref.type.isError) problems.push(`does not parse at ${ref.from}: ${expr}`);
      if (ref.name !== "VectorSelector") return;
      const metric = ref.node.getChild("Identifier");
      const name = metric ? text(metric) : "";
      const range = ref.node.parent?.name === "MatrixSelector" ? ref.node.parent : undefined;
      if (name.endsWith("_total") && !COUNTER_FUNCTIONS.includes((range && functionOf(range, text)) ?? ""))
        problems.push(`counter ${name} is read outside ${COUNTER_FUNCTIONS.join(", ")}: use one of them over [$__rate_interval] (${expr})`);
    },
  });
  return problems;
}

type Panel = { title?: string; targets?: { expr?: string }[] };

/** Every target's counter problems in the dashboard JSON `d`, each naming its panel and target. */
export function dashboardCounterProblems(d: { panels?: Panel[] }): string[] {
  return (d.panels ?? []).flatMap((p) => (p.targets ?? []).flatMap((t, i) => counterProblems(t.expr ?? "").map((problem) => `panel '${p.title}', target idx '${i}': ${problem}`)));
}
