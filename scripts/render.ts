/**
 * `npm run render -- --stack <name> --out <dir> [--set key=value]... [--stack-dir <dir>]`
 * Writes a stack's Prometheus config and rules and its Grafana objects (dashboard, rules,
 * routing, datasource) as files, without Pulumi, credentials or secrets. Exit 1: unknown stack or invalid config
 * (the message lists every problem); exit 2: bad arguments.
 */
import { parseArgs } from "node:util";
import { PROJECT_DIR } from "../config/stackFile";
import { settingsFromStackFile, parseOverrides } from "./stackSettings";
import { RENDERED, writeRenderedFiles } from "./renderedFiles";

const USAGE = `usage: npm run render -- --stack <name> --out <dir> [--set key=value]... [--stack-dir <dir with Pulumi.<name>.yaml>]
  --stack      stack whose Pulumi.<name>.yaml is read (placeholder secrets: none are needed or written)
  --out        directory to write ${Object.values(RENDERED).join(", ")}
  --set        override a config key (repeatable), e.g. --set scrapeInterval=1s --set 'targets=["127.0.0.1:8080"]'
  --stack-dir  where the stack files are (default: the project directory)`;

function usageError(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function main(): void {
  let values: { stack?: string; out?: string; set?: string[]; "stack-dir"?: string };
  try {
    ({ values } = parseArgs({
      options: {
        stack: { type: "string" },
        out: { type: "string" },
        set: { type: "string", multiple: true },
        "stack-dir": { type: "string" },
      },
    }));
  } catch (err) {
    usageError((err as Error).message);
  }
  if (!values.stack || !values.out) usageError("--stack and --out are required");
  let overrides: Record<string, string>;
  try {
    overrides = parseOverrides(values.set ?? []);
  } catch (err) {
    usageError((err as Error).message);
  }
  try {
    const settings = settingsFromStackFile(values.stack, overrides, values["stack-dir"] ?? PROJECT_DIR);
    for (const file of writeRenderedFiles(settings, values.out)) console.log(file);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}

main();
