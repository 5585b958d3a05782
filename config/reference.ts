/** The README's configuration reference, generated from the schema. */
import { SCHEMA, type KeySpec } from "./schema";
import { PER_SERVICE_KEYS, SERVICE_ONLY_KEYS } from "./services";
import { allowedText } from "./wording";

const START = "<!-- config-reference:start -->";
const END = "<!-- config-reference:end -->";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function defaultText(spec: KeySpec): string {
  if (spec.defaultDoc) return spec.defaultDoc;
  if (spec.default === undefined) return spec.required === true ? "**required**" : spec.required ? `**required on ${(spec.required as string[]).join(", ")}**` : "—";
  if (typeof spec.default === "string") return `\`${spec.default}\``;
  const perPlatform = Object.entries(spec.default).map(([p, v]) => `${p}: \`${v}\``);
  const required = Array.isArray(spec.required) ? [`${spec.required.join(", ")}: **required**`] : [];
  return [...perPlatform, ...required].join("<br>");
}

function configReferenceMarkdown(): string {
  const lines: string[] = [];
  let group = "";
  for (const spec of SCHEMA) {
    if (spec.group !== group) {
      group = spec.group;
      lines.push("", `### ${group}`, "", "| key | default | allowed | description |", "| --- | --- | --- | --- |");
    }
    const perService = (SERVICE_ONLY_KEYS as readonly string[]).includes(spec.key) ? "*per service* (only, with `services`)" : PER_SERVICE_KEYS.has(spec.key) ? "*per service*" : "";
    const flags = [spec.secret ? "**secret**" : "", spec.platforms ? `only ${spec.platforms.join(", ")}` : "", perService].filter(Boolean).join("; ");
    lines.push(
      `| \`${spec.key}\` | ${cell(defaultText(spec))} | ${cell(allowedText(spec))}${flags ? `<br>${flags}` : ""} | ${cell(spec.doc)} |`,
    );
  }
  return lines.join("\n").trim();
}

/** README text with the reference between the markers replaced. */
export function withConfigReference(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${START} … ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${configReferenceMarkdown()}\n${readme.slice(end)}`;
}
