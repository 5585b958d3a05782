/**
 * Every stack as `npm run render` writes it, for the field's linters (dashboard-linter, pint):
 * each committed stack with either alert engine, and each stack of test/fixtures as it is (the
 * two-service one among them: two dashboards in one folder, the rules of both).
 */
import { mkdtempSync } from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR, stackNames } from "../../config/stackFile";
import { writeRenderedFiles } from "../../render/renderedFiles";
import { FIXTURES_DIR, servicesFromStackFile, settingsFromStackFile } from "../../render/stackSettings";

export interface StackForm {
  /** e.g. "prod, alertEngine prometheus", "fixture services". */
  name: string;
  stack: string;
  dir: string;
  overrides: Record<string, string>;
}

/**
 * Overrides that give the committed `stack` the alert engine `engine`. Prometheus' engine on
 * Kubernetes routes in an AlertmanagerConfig, whose operational hours need a timezone and whose
 * e-mail receiver an SMTP host.
 */
export function withAlertEngine(stack: string, engine: "grafana" | "prometheus"): Record<string, string> {
  const kubernetes = settingsFromStackFile(stack).platform === "kubernetes";
  return { alertEngine: engine, ...(engine === "prometheus" && kubernetes && { operationalTimezone: "UTC", smtpHost: "smtp.example.com:587" }) };
}

export function renderedStackForms(): StackForm[] {
  return [
    ...stackNames().flatMap((stack) => (["grafana", "prometheus"] as const).map((engine) => ({ name: `${stack}, alertEngine ${engine}`, stack, dir: PROJECT_DIR, overrides: withAlertEngine(stack, engine) }))),
    ...stackNames(FIXTURES_DIR).map((stack) => ({ name: `fixture ${stack}`, stack, dir: FIXTURES_DIR, overrides: {} })),
  ];
}

/** Renders `form` into a new folder below `root` (as `npm run render --out`); returns that folder. */
export function renderForm(form: StackForm, root: string, overrides: Record<string, string> = {}): string {
  const out = mkdtempSync(path.join(root, `${form.stack}-`));
  writeRenderedFiles(servicesFromStackFile(form.stack, { ...form.overrides, ...overrides }, form.dir), out);
  return out;
}
