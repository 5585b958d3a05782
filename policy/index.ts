/**
 * Policy pack "websocket-monitoring": `pulumi preview --policy-pack policy` (and `up`) checks the
 * Grafana objects a change would deploy against the policies in policies.ts.
 *
 * Layout: package.json here only names and versions the pack (@pulumi/policy reads the version
 * from it); it has no dependencies and there is no node_modules here. The CLI starts the pack with
 * this directory as working directory, and Node resolves @pulumi/policy, @pulumi/pulumi and the
 * project modules the rules import from the project's node_modules one level up: `npm ci` at the
 * root is all it needs, and the pack runs on the program's own SDK versions. tsconfig.json extends
 * the project's, because the CLI type-checks the pack (and what it imports) with these options.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("websocket-monitoring", { enforcementLevel: "mandatory", policies });
