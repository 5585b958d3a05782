/**
 * For scripts/local.sh: prints the local stack's addresses as shell assignments and writes the
 * prometheus.yml the stack itself would write (same function, same YAML), so Prometheus can
 * start before the first `pulumi up` and that `up` finds nothing to change.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { prometheusYaml } from "../scrape/model";
import { loadSettings } from "./stackSettings";

const s = loadSettings("local");
const configFile = path.resolve(s.local!.prometheusConfigFile);
if (!existsSync(configFile)) {
  mkdirSync(path.dirname(configFile), { recursive: true });
  writeFileSync(configFile, prometheusYaml(s));
}
const [serviceHost, servicePort] = s.scrape.targets[0].split(":");
const vars = {
  SERVICE_HOST: serviceHost,
  SERVICE_PORT: servicePort,
  BLACKBOX_ADDRESS: s.scrape.blackboxExporter,
  PROMETHEUS_PORT: String(s.local!.prometheusPort),
  PROMETHEUS_CONFIG: configFile,
  GRAFANA_PORT: String(s.local!.grafanaPort),
};
for (const [k, v] of Object.entries(vars)) console.log(`${k}='${v}'`);
