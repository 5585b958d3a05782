import type { Settings } from "../config/settings";

/** The Prometheus datasource a stack creates (`createDatasource`); components/datasource.ts encodes `jsonData`. */
export type PrometheusDatasourceModel = ReturnType<typeof prometheusDatasource>;

export function prometheusDatasource(s: Settings) {
  return {
    type: "prometheus",
    uid: s.grafana.datasourceUid,
    name: `Prometheus (${s.namePrefix} ${s.environment})`,
    url: s.grafana.prometheusUrl!,
    accessMode: "proxy",
    // timeInterval = scrape interval makes $__rate_interval cover at least 4 scrapes.
    jsonData: { httpMethod: "POST", timeInterval: s.scrape.interval.text },
  };
}
