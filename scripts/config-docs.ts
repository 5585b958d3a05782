// Regenerates README.md's configuration reference from config/schema.ts (`npm run docs:config`).
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { withConfigReference } from "../config/reference";

const readme = path.join(__dirname, "..", "README.md");
writeFileSync(readme, withConfigReference(readFileSync(readme, "utf8")));
console.log(`updated the configuration reference in ${readme}`);
