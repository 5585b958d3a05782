// Entry point: read and validate this stack's config, check Grafana, build the monitoring of its
// environment and services (components/stack.ts), export what users open.
import * as pulumi from "@pulumi/pulumi";
import { rawPulumiConfig, servicesFromPulumiConfig } from "./config/pulumi";
import { monitoringStack } from "./components/stack";
import { usesGrafanaApi } from "./config/settings";
import { PreflightError, checkGrafana, grafanaRequirements } from "./preflight/grafana";

export = async () => {
  const services = servicesFromPulumiConfig();
  const settings = services[0];
  // On docker the stack creates Grafana itself; elsewhere it must already answer, unless the stack calls no Grafana API (ConfigMap dashboards).
  const auth = settings.grafana.auth;
  if (settings.platform !== "docker" && usesGrafanaApi(settings) && auth) {
    const existingDatasource = settings.grafana.createDatasource ? undefined : settings.grafana.datasourceUid;
    await checkGrafana({ url: settings.grafana.url, auth }, grafanaRequirements(settings), existingDatasource).catch((e) => {
      throw e instanceof PreflightError ? new pulumi.RunError(e.message) : e;
    });
  }
  return monitoringStack(rawPulumiConfig(), services);
};
