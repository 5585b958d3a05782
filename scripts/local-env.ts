/**
 * For scripts/local.sh: prints the local stack's addresses as shell assignments and writes the
 * prometheus.yml the stack itself would write (same function, same YAML), so Prometheus can
 * start before the first `pulumi up` and that `up` finds nothing to change. Invalid config: the
 * message `npm run render` prints, on stderr, and exit 1 (nothing printed for the shell).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { onPlatform, type LocalStack } from "../config/settings";
import { prometheusYaml } from "../scrape/model";
import { settingsFromStackFile } from "./stackSettings";

let s: LocalStack;
try {
  s = onPlatform(settingsFromStackFile("local"), "local");
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const configFile = path.resolve(s.local.prometheusConfigFile);
if (!existsSync(configFile)) {
  mkdirSync(path.dirname(configFile), { recursive: true });
  writeFileSync(configFile, prometheusYaml(s));
}
const [serviceHost, servicePort] = s.scrape.targets[0].split(":");
// The provider plugin the Grafana package needs: what `pulumi up` loads.
const plugin = (require("@pulumiverse/grafana/package.json") as { pulumi: { version: string; server: string } }).pulumi;
const vars = {
  SERVICE_HOST: serviceHost,
  SERVICE_PORT: servicePort,
  BLACKBOX_ADDRESS: s.scrape.blackboxExporter,
  PROMETHEUS_PORT: String(s.local.prometheusPort),
  PROMETHEUS_CONFIG: configFile,
  GRAFANA_PORT: String(s.local.grafanaPort),
  GRAFANA_PLUGIN_VERSION: plugin.version,
  GRAFANA_PLUGIN_SERVER: plugin.server,
};
for (const [k, v] of Object.entries(vars)) console.log(`${k}='${v}'`);
