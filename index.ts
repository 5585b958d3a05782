// Entry point: read and validate this stack's config, check Grafana, build the monitoring,
// export what users open.
import * as pulumi from "@pulumi/pulumi";
import { servicesFromPulumiConfig } from "./config/pulumi";
import { resourceBaseName } from "./lib/naming";
import { WebSocketMonitoring } from "./components/monitoring";
import { PreflightError, checkGrafana, grafanaRequirements } from "./preflight/grafana";

export = async () => {
  const services = servicesFromPulumiConfig();
  const settings = services[0];
  // On docker the stack creates Grafana itself; elsewhere it must already answer.
  if (settings.platform !== "docker") {
    const existingDatasource = settings.grafana.createDatasource ? undefined : settings.grafana.datasourceUid;
    await checkGrafana(settings.grafana, grafanaRequirements(settings), existingDatasource).catch((e) => {
      throw e instanceof PreflightError ? new pulumi.RunError(e.message) : e;
    });
  }
  const monitoring = new WebSocketMonitoring(resourceBaseName(settings), { services });
  return {
    dashboardUrl: monitoring.dashboardUrl,
    folderUrl: monitoring.folderUrl,
    alertRuleNames: monitoring.alertRuleNames,
    contactPointNames: monitoring.contactPointNames,
    scrapeConfigLocation: monitoring.scrapeConfigLocation,
  };
};
