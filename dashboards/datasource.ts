import type { Settings } from "../config/settings";
import { stableJson } from "../lib/stableJson";

/** The Prometheus datasource a stack creates (`createDatasource`), as the Grafana provider takes it. */
export function prometheusDatasource(s: Settings) {
  return {
    type: "prometheus",
    uid: s.grafana.datasourceUid,
    name: `Prometheus (${s.namePrefix} ${s.environment})`,
    url: s.grafana.prometheusUrl!,
    accessMode: "proxy",
    // timeInterval = scrape interval makes $__rate_interval cover at least 4 scrapes.
    jsonDataEncoded: stableJson({ httpMethod: "POST", timeInterval: s.scrape.interval.text }),
  };
}
