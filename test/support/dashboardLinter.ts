/**
 * The 17 rules of Grafana's dashboard linter (grafana/dashboard-linter, `lint --strict`), as its
 * source states them, over a dashboard's JSON: the linter cannot be installed here (the Go module
 * proxy refuses it), and an independent run of the real one checks the result. PromQL is parsed
 * with the Prometheus project's own grammar (@prometheus-io/lezer-promql). Each problem is
 * reported as "<rule>: <message>"; warnings count, as with --strict. Exclusions are given as the
 * linter's `.lint` file states them (`exclusions`, matched as its ConfigurationEntry.IsMatch does).
 */
import type { SyntaxNode } from "@lezer/common";
import type { LRParser } from "@lezer/lr";
import { excluded, type At, type LintConfig } from "./lintConfig";

export type { LintConfig, LintExclusionEntry } from "./lintConfig";

// The grammar package ships CommonJS beside its ES module; its typings are the ES module's only.
const { parser } = require("@prometheus-io/lezer-promql") as { parser: LRParser };

interface Variable {
  name: string;
  type: string;
  label?: string;
  query?: string;
  datasource?: string | { uid?: string; type?: string } | null;
  multi?: boolean;
  allValue?: string;
  refresh?: number;
  current?: { value?: string | string[] };
}

interface Panel {
  id: number;
  type: string;
  title?: string;
  description?: string;
  datasource?: string | { uid?: string; type?: string } | null;
  targets?: { expr?: string; datasource?: { type?: string } | string }[] | null;
  panels?: Panel[];
  fieldConfig?: { defaults?: { unit?: string; mappings?: unknown }; overrides?: { properties?: { id: string; value: unknown }[] }[] };
  options?: { reduceOptions?: { fields?: unknown } };
}

export interface DashboardJson {
  title?: string;
  editable?: boolean;
  templating?: { list?: Variable[] };
  panels?: Panel[];
}

/** Units Grafana knows (the linter's list, less the currencies, physics and dates this dashboard has no use for). */
const VALID_UNITS = new Set(
  (
    "none string short percent percentunit humidity dB hex0x hex sci locale pixel " +
    "bytes decbytes bits decbits kbytes deckbytes mbytes decmbytes gbytes decgbytes tbytes dectbytes pbytes decpbytes " +
    "pps binBps Bps binbps bps KiBs Kibits KBs Kbits MiBs Mibits MBs Mbits GiBs Gibits GBs Gbits " +
    "hertz ns µs ms s m h d dtdurationms dtdurations dthms dtdhms timeticks clockms clocks " +
    "cps ops reqps rps wps iops cpm opm rpm wpm mps mpm bool bool_yes_no bool_on_off"
  ).split(" "),
);
/** Where Grafana's variable expands in PromQL, a duration that stands for `$__rate_interval` (the linter's own sample value). */
const RATE_INTERVAL = "8869990787ms";

const uidOf = (ds: Variable["datasource"]) => (ds && typeof ds === "object" ? (ds.uid ?? "") : (ds ?? ""));
const title = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function allPanels(panels: Panel[] = []): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels)]);
}

/** Variables replaced as the linter does: outside double quotes only, with their current values. */
function expand(expr: string, variables: Variable[]): string {
  const values = new Map<string, string>([["__rate_interval", RATE_INTERVAL]]);
  for (const v of variables) {
    const current = v.current?.value;
    values.set(v.name, current === "$__all" ? (v.allValue ?? ".*") : Array.isArray(current) ? current.join("|") : (current ?? v.name));
  }
  return expr
    .split('"')
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (m, a, b, c) => values.get(a ?? b ?? c) ?? m)))
    .join('"');
}

interface Parsed {
  ok: boolean;
  nodes: SyntaxNode[];
  text: (n: SyntaxNode) => string;
}

function parsePromQL(expr: string): Parsed {
  const tree = parser.parse(expr);
  const nodes: SyntaxNode[] = [];
  let ok = expr.trim().length > 0;
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) ok = false;
      nodes.push(ref.node);
    },
  });
  return { ok, nodes, text: (n) => expr.slice(n.from, n.to) };
}

/** A vector selector's metric name and its label matchers. */
function selector(p: Parsed, node: SyntaxNode): { metric: string; matchers: { name: string; op: string; value: string }[] } {
  const metric = node.getChild("Identifier");
  const matchers = (node.getChild("LabelMatchers")?.getChildren("UnquotedLabelMatcher") ?? []).map((m) => ({
    name: p.text(m.getChild("LabelName")!),
    op: p.text(m.getChild("MatchOp")!),
    value: JSON.parse(p.text(m.getChild("StringLiteral")!)) as string,
  }));
  return { metric: metric ? p.text(metric) : "", matchers };
}

/** The function a node sits directly in (FunctionCall > FunctionCallBody > node). */
function enclosingFunction(p: Parsed, node: SyntaxNode): string | undefined {
  const body = node.parent;
  const call = body?.name === "FunctionCallBody" ? body.parent : undefined;
  const id = call?.name === "FunctionCall" ? call.getChild("FunctionIdentifier") : undefined;
  return id ? p.text(id) : undefined;
}

export function lintDashboard(d: DashboardJson, config?: LintConfig): string[] {
  const problems: string[] = [];
  const report = (rule: string, message: string, at: At = {}) => {
    if (!excluded(config, rule, d.title ?? "", at)) problems.push(`${rule}: ${message}`);
  };
  const variables = d.templating?.list ?? [];
  const datasourceVars = variables.filter((v) => v.type.toLowerCase() === "datasource");
  const prometheus = variables.find((v) => v.type === "datasource")?.query === "prometheus";

  // template-datasource-rule
  if (datasourceVars.length === 0) report("template-datasource-rule", "does not have a templated data source");
  for (const v of datasourceVars) {
    const names = [`${(v.query ?? "").toLowerCase()}_datasource`, ...(datasourceVars.length === 1 ? ["datasource"] : [])];
    const labels = [`${title(v.query ?? "")} data source`, ...(datasourceVars.length === 1 ? ["Data source"] : [])];
    if (!names.includes(v.name)) report("template-datasource-rule", `templated data source variable named '${v.name}', should be named ${names.join(" or ")}`);
    if (!labels.includes(v.label ?? "")) report("template-datasource-rule", `templated data source variable labeled '${v.label ?? ""}', should be labeled ${labels.join(" or ")}`);
  }

  // template-job-rule, template-instance-rule
  for (const name of prometheus ? ["job", "instance"] : []) {
    const rule = `template-${name}-rule`;
    const v = variables.find((x) => x.name === name);
    if (!v) {
      report(rule, `is missing the ${name} template`);
      continue;
    }
    if (!["$datasource", "${datasource}", "$prometheus_datasource", "${prometheus_datasource}"].includes(uidOf(v.datasource)))
      report(rule, `${name} template should use datasource '$datasource', is currently '${uidOf(v.datasource)}'`);
    if (v.type !== "query") report(rule, `${name} template should be a Prometheus query, is currently '${v.type}'`);
    if (v.label !== title(name)) report(rule, `${name} template should be labeled '${title(name)}', is currently '${v.label}'`);
    if (!v.multi) report(rule, `${name} template should be a multi select`);
    if (v.allValue !== ".+") report(rule, `${name} template allValue should be '.+', is currently '${v.allValue}'`);
  }

  for (const v of variables.filter((x) => x.type === "query")) {
    // template-label-promql-rule: label_values(<selector>, <label>) and the like, with a selector that parses.
    if (prometheus) {
      const tokens = /([a-z_]+)\((.+)\)/.exec(v.query ?? "");
      const inner = tokens?.[2].replace(/,\s*[a-zA-Z_]\w*\s*$/, "") ?? "";
      if (!tokens) report("template-label-promql-rule", `template '${v.name}' invalid 'query': ${v.query}`);
      else if (!["label_names", "label_values", "metrics", "query_result"].includes(tokens[1])) report("template-label-promql-rule", `template '${v.name}' invalid 'function': ${tokens[1]}`);
      else if (!parsePromQL(expand(inner, variables)).ok) report("template-label-promql-rule", `template '${v.name}' invalid templated label '${v.query}'`);
    }
    // template-on-time-change-reload-rule
    if (v.refresh !== 2) report("template-on-time-change-reload-rule", `variable '${v.name}' should be refreshed on time range change (2), is '${v.refresh}'`);
  }

  const templated = datasourceVars.flatMap((v) => [`$${v.name}`, `\${${v.name}}`]);
  for (const p of allPanels(d.panels)) {
    const where = `panel '${p.title ?? p.id}'`;
    const inPanel: At = { panel: p.title ?? "" };
    if (["singlestat", "graph", "table", "timeseries"].includes(p.type) && !templated.includes(uidOf(p.datasource)))
      report("panel-datasource-rule", `${where} does not use a templated datasource, uses '${uidOf(p.datasource)}'`, inPanel);
    if (["stat", "singlestat", "graph", "table", "timeseries", "gauge"].includes(p.type)) {
      if (!p.title || !p.description) report("panel-title-description-rule", `${where} has missing title or description`, inPanel);
      const mapped = (p.fieldConfig?.defaults?.mappings ?? null) !== null || (p.fieldConfig?.overrides ?? []).some((o) => (o.properties ?? []).some((x) => x.id === "mappings" && x.value !== null));
      const fields = p.options?.reduceOptions?.fields;
      const overridden = (p.fieldConfig?.overrides ?? []).flatMap((o) => (o.properties ?? []).filter((x) => x.id === "unit").map((x) => String(x.value)));
      const unit = overridden.at(-1) ?? p.fieldConfig?.defaults?.unit ?? "";
      if (!(p.type === "stat" && typeof fields === "string" && fields !== "") && !mapped && !VALID_UNITS.has(unit))
        report("panel-units-rule", `${where} has no or invalid units defined: '${unit}'`, inPanel);
      if (p.targets === undefined || p.targets === null) report("panel-no-targets-rule", `${where} has no targets`, inPanel);
    }
    for (const [i, t] of (p.targets ?? []).entries()) {
      const target = `${where}, target idx '${i}'`;
      const inTarget: At = { ...inPanel, targetIdx: i };
      const loki = variables.find((v) => v.type === "datasource")?.query === "loki" || (typeof t.datasource === "object" && t.datasource?.type === "loki");
      // target-logql-rule, target-logql-auto-rule: this dashboard has no Loki targets; a Loki one needs the real linter.
      if (loki) report("target-logql-rule", `${target} is a Loki target, which this stand-in does not check`, inTarget);
      const parsed = parsePromQL(expand(t.expr ?? "", variables));
      const queried = ["singlestat", "gauge", "table", "stat", "state-timeline", "timeseries"].includes(p.type);
      if (prometheus && queried && !parsed.ok) report("target-promql-rule", `${target} invalid PromQL query '${t.expr}'`, inTarget);
      if (!parsed.ok) continue;
      for (const node of parsed.nodes) {
        if (node.name === "MatrixSelector" && prometheus && queried) {
          const range = node.getChild("DurationExpr") ?? node.lastChild;
          const fn = enclosingFunction(parsed, node);
          if ((fn === "rate" || fn === "irate") && range && parsed.text(range) !== RATE_INTERVAL)
            report("target-rate-interval-rule", `${target} invalid PromQL query '${t.expr}': should use $__rate_interval`, inTarget);
        }
        if (node.name !== "VectorSelector") continue;
        const sel = selector(parsed, node);
        for (const [label, value] of prometheus ? [["job", "$job"], ["instance", "$instance"]] : []) {
          // The first matcher of the label decides, as older linters read it (newer ones accept any): `job=~"$job"` comes first.
          const first = sel.matchers.find((m) => m.name === label);
          if (!(first && first.op === "=~" && first.value === value))
            report(`target-${label}-rule`, `${target} invalid PromQL query '${t.expr}': no ${label}=~"${value}" on ${parsed.text(node)}`, inTarget);
        }
        // target-counter-agg-rule (stricter than the linter, which skips selectors with matchers): a counter only inside rate, irate or increase.
        const counted = node.parent?.name === "MatrixSelector" && ["rate", "irate", "increase"].includes(enclosingFunction(parsed, node.parent) ?? "");
        if (sel.metric.endsWith("_total") && !counted)
          report("target-counter-agg-rule", `${target} counter metric '${sel.metric}' is not aggregated with rate, irate, or increase`, inTarget);
      }
    }
  }

  // uneditable-dashboard
  if (d.editable === true) report("uneditable-dashboard", "is editable, it should be set to 'editable: false'");
  return problems;
}
