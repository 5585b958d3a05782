/**
 * `tsx scripts/destroy-guard.ts --stack <name> --confirm <name again>`: what the destroy workflow
 * (.github/workflows/destroy.yml) checks before it runs `pulumi destroy`. Exit 1 with the reason
 * when it must not go ahead, 2 on bad arguments.
 */
import { parseArgs } from "node:util";
import { PROJECT_DIR, loadStackConfig } from "../config/stackFile";

/** Why `pulumi destroy` of `stack` must not run, or undefined when it may. */
export function destroyRefusal(stack: string, confirm: string, dir = PROJECT_DIR): string | undefined {
  if (confirm !== stack) return `the confirmation '${confirm}' is not the stack name '${stack}'; type the stack name again.`;
  let protect: string | undefined;
  try {
    protect = loadStackConfig(stack, {}, dir).values.protect;
  } catch (e) {
    return (e as Error).message;
  }
  if (protect === "true")
    return (
      `stack '${stack}' is protected (websocket-monitoring:protect: "true" in Pulumi.${stack}.yaml). ` +
      `To tear it down, set protect to "false" in a reviewed pull request and let the deploy workflow run ` +
      `'pulumi up', which clears the protect flag in the state; then run this workflow again. ` +
      `(Without that, 'pulumi destroy' itself stops at the protected folder, dashboard and rule group.)`
    );
  return undefined;
}

function main(): void {
  let values: { stack?: string; confirm?: string };
  try {
    ({ values } = parseArgs({ options: { stack: { type: "string" }, confirm: { type: "string" } } }));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  if (!values.stack || values.confirm === undefined) {
    console.error("usage: tsx scripts/destroy-guard.ts --stack <name> --confirm <name again>");
    process.exit(2);
  }
  const refusal = destroyRefusal(values.stack, values.confirm);
  if (refusal) {
    console.error(`Refusing to destroy: ${refusal}`);
    process.exit(1);
  }
  console.log(`Stack '${values.stack}' may be destroyed.`);
}

if (require.main === module) main();
