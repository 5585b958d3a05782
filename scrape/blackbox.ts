import { readFileSync } from "node:fs";
import * as path from "node:path";

/** Blackbox exporter modules shipped with the repo (prometheus/blackbox.yml). */
export const BLACKBOX_CONFIG = readFileSync(path.join(__dirname, "..", "prometheus", "blackbox.yml"), "utf8");
