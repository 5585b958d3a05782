// Regenerates what config/schema.ts documents (\`npm run docs:config\`): README.md's configuration
// reference, and the components' typed Args (components/args.ts).
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { componentArgsSource } from "../config/argsSource";
import { withConfigReference } from "../config/reference";

const root = path.join(__dirname, "..");
const readme = path.join(root, "README.md");
writeFileSync(readme, withConfigReference(readFileSync(readme, "utf8")));
const args = path.join(root, "components", "args.ts");
writeFileSync(args, componentArgsSource());
console.log(`updated the configuration reference in ${readme} and the components' Args in ${args}`);
