/** One config value, parsed from its text by its key's spec. */
import { isHttpUrl } from "../lib/url";
import { parseDuration } from "./duration";
import type { KeySpec } from "./schema";
import type { Duration } from "./settings";
import { allowedText } from "./wording";

export type Value = string | number | boolean | string[] | Record<string, string> | Duration;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_./-]{0,62}$/;

/** The typed value, or what the key allows instead (the end of the message). */
export function parseValue(spec: KeySpec, text: string): { value: Value } | { error: string } {
  const bad = { error: allowedText(spec) };
  const outOfRange = (n: number) => (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max);
  const checkRange = (n: number) => (outOfRange(n) ? bad : { value: n });
  switch (spec.kind) {
    case "enum":
      return spec.values?.includes(text) ? { value: text } : bad;
    case "boolean":
      return text === "true" || text === "false" ? { value: text === "true" } : bad;
    case "integer":
      return /^-?\d+$/.test(text) ? checkRange(Number(text)) : bad;
    case "number":
      return /^-?\d+(\.\d+)?$/.test(text) ? checkRange(Number(text)) : bad;
    case "duration": {
      const d = parseDuration(text);
      if (!d) return bad;
      return outOfRange(d.seconds) ? bad : { value: d };
    }
    case "url":
      return isHttpUrl(text) ? { value: text.replace(/\/+$/, "") } : bad;
    case "string":
      if (text.trim() === "") return bad;
      return !spec.pattern || spec.pattern.test(text) ? { value: text } : bad;
    case "list":
      return parseList(spec, text);
    case "map":
      return parseLabelMap(text) ?? bad;
    case "services":
      return bad; // config/services.ts reads it, entry by entry
  }
}

/** A JSON list, or comma-separated; every item one of `values` or matching `pattern`. */
function parseList(spec: KeySpec, text: string): { value: string[] } | { error: string } {
  const bad = { error: allowedText(spec) };
  let items: unknown;
  try {
    items = text.trim().startsWith("[") ? JSON.parse(text) : text.split(",").map((s) => s.trim()).filter(Boolean);
  } catch {
    return bad;
  }
  if (!Array.isArray(items) || items.length === 0 || !items.every((i) => typeof i === "string")) return bad;
  const list = items as string[];
  const wrong = list.filter((i) => (spec.values ? !spec.values.includes(i) : spec.pattern ? !spec.pattern.test(i) : false));
  return wrong.length ? { error: `${allowedText(spec)} (not allowed: ${wrong.map((w) => `'${w}'`).join(", ")})` } : { value: list };
}

/** A non-empty JSON object of Kubernetes label names to values; undefined when it is not one. */
function parseLabelMap(text: string): { value: Record<string, string> } | undefined {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj) || Object.keys(obj).length === 0) return undefined;
  const entries = Object.entries(obj as Record<string, unknown>);
  if (!entries.every(([k, v]) => LABEL_NAME.test(k) && typeof v === "string" && v.length <= 63)) return undefined;
  return { value: obj as Record<string, string> };
}
