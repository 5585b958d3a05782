// Every unit test file in one process (`npm run test:unit`, and test:all beside the rule and
// end-to-end files): a process per file would load TypeScript, Pulumi and the models each time,
// which cost three times the CPU of the tests themselves; and the committed stacks run once.
import { readdirSync } from "node:fs";
import * as path from "node:path";

const dir = path.join(__dirname, "unit");
for (const file of readdirSync(dir).filter((f) => f.endsWith(".test.ts")).sort()) require(path.join(dir, file));
