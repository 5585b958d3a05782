/**
 * `npm run render -- --stack <name> --out <dir> [--set key=value]... [--stack-dir <dir>]`
 * Writes a stack's Prometheus config and rules and its Grafana objects (dashboard, rules,
 * routing, datasource) as files, without Pulumi, credentials or secrets (scripts/renderCommand.ts).
 */
import { renderCommand } from "./renderCommand";

const { code, stdout, stderr } = renderCommand(process.argv.slice(2));
process.stdout.write(stdout);
process.stderr.write(stderr);
process.exitCode = code;
