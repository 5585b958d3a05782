/**
 * What `npm run render` does, as a function of its arguments: writes a stack's files and returns
 * the exit code and output (a line per file: its path and what the stack deploys of it), so that
 * tests run it in process; scripts/render.ts only prints them.
 * Exit 0 with the usage for --help (-h); exit 1: unknown stack or invalid config (the message lists
 * every problem); exit 2: bad arguments.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_DIR } from "../config/stackFile";
import { deploymentOf } from "../render/deployment";
import { RENDERED, writeRenderedFiles } from "../render/renderedFiles";
import { parseOverrides, servicesFromStackFile } from "../render/stackSettings";
import { layerSummary } from "../alerts/layer";

const USAGE = `usage: npm run render -- --stack <name> --out <dir> [--set key=value]... [--stack-dir <dir with Pulumi.<name>.yaml>]
  --stack      stack whose Pulumi.<name>.yaml is read (placeholder secrets: none are needed or written)
  --out        directory to write ${Object.values(RENDERED).join(", ")}
  --set        override a config key (repeatable), e.g. --set scrapeInterval=1s --set 'targets=["127.0.0.1:8080"]'
  --stack-dir  where the stack files are (default: the project directory)
  --help, -h   this text`;

export interface RenderResult {
  code: 0 | 1 | 2;
  /** The files written, a line each. */
  stdout: string;
  stderr: string;
}

interface RenderArgs {
  stack: string;
  out: string;
  overrides: Record<string, string>;
  stackDir: string;
}

/** The arguments, "help", or what is wrong with them. */
function parse(argv: string[]): RenderArgs | "help" | { error: string } {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        out: { type: "string" },
        set: { type: "string", multiple: true },
        "stack-dir": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) return "help";
    if (!values.stack || !values.out) return { error: "--stack and --out are required" };
    return { stack: values.stack, out: values.out, overrides: parseOverrides(values.set ?? []), stackDir: values["stack-dir"] ?? PROJECT_DIR };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

export function renderCommand(argv: string[]): RenderResult {
  const args = parse(argv);
  if (args === "help") return { code: 0, stdout: `${USAGE}\n`, stderr: "" };
  if ("error" in args) return { code: 2, stdout: "", stderr: `${args.error}\n${USAGE}\n` };
  try {
    const services = servicesFromStackFile(args.stack, args.overrides, args.stackDir);
    const deployment = deploymentOf(services);
    // Each file, and what the stack deploys of it (as in DEPLOYMENT.txt).
    const lines = writeRenderedFiles(services, args.out).map((file) => `${file}: ${deployment[path.relative(args.out, file)]}\n`);
    // Which optional signals page: beside the files, as a note.
    return { code: 0, stdout: lines.join(""), stderr: services.map((x) => `${layerSummary(x)}\n`).join("") };
  } catch (err) {
    return { code: 1, stdout: "", stderr: `${(err as Error).message}\n` };
  }
}
