// Entry point: read and validate this stack's config, build the monitoring, export what users open.
import { loadSettings } from "./config/pulumi";
import { resourceBaseName } from "./lib/naming";
import { WebSocketMonitoring } from "./components/monitoring";

const settings = loadSettings();
const monitoring = new WebSocketMonitoring(resourceBaseName(settings), { settings });

export const dashboardUrl = monitoring.dashboardUrl;
export const folderUrl = monitoring.folderUrl;
export const alertRuleNames = monitoring.alertRuleNames;
export const contactPointNames = monitoring.contactPointNames;
export const scrapeConfigLocation = monitoring.scrapeConfigLocation;
