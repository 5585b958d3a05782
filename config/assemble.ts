/** Settings out of a valid config's parsed values: no checks left, only the shape of Settings. */
import { configuredReceivers } from "./crossKeyRules";
import type { Platform } from "./schema";
import type { CommonSettings, DockerSettings, KubernetesSettings, LocalSettings, ServiceIdentity, Settings, SmtpSettings } from "./settings";
import type { ValuesOn } from "./values";
import { hostPort } from "../lib/url";

/** The parsed values of a config without problems, by its platform. */
export type ValidConfig = { [P in Platform]: { platform: P; values: ValuesOn<P> } }[Platform];

/** One service's settings; `listed`: its place in `services` (unset: the stack's one service, named after its job). */
export function assembleSettings(stack: string, config: ValidConfig, listed?: { index: number; name: string }): Settings {
  const service = { name: listed?.name ?? config.values.jobName, listed: listed !== undefined };
  switch (config.platform) {
    case "local":
      return { ...commonSettings(stack, service, config), platform: config.platform, local: localSettings(config.values) };
    case "docker":
      return { ...commonSettings(stack, service, config), platform: config.platform, docker: dockerSettings(config.values) };
    case "kubernetes":
      return { ...commonSettings(stack, service, config), platform: config.platform, kubernetes: kubernetesSettings(config.values) };
  }
}

function commonSettings(stack: string, service: ServiceIdentity, { platform, values: v }: ValidConfig): CommonSettings {
  const targets = v.targets ?? [];
  const receivers = configuredReceivers(v);
  const healthUrl = v.healthUrl ?? `${v.scheme}://${targets[0]}${v.healthPath}`;
  return {
    stack,
    service,
    environment: v.environment ?? stack,
    namePrefix: v.namePrefix,
    protect: v.protect,
    grafana: {
      url: v.grafanaUrl,
      auth: v.grafanaAuth,
      folderTitle: v.folderTitle,
      uidSuffix: v.uidSuffix,
      routing: v.grafanaRouting,
      dashboardTitle: v.dashboardTitle,
      dashboardRefresh: v.dashboardRefresh,
      datasourceUid: v.datasourceUid,
      createDatasource: v.createDatasource,
      prometheusUrl: v.prometheusUrl,
    },
    scrape: {
      jobName: v.jobName,
      healthJobName: v.healthJobName,
      metricsPath: v.metricsPath,
      healthPath: v.healthPath,
      scheme: v.scheme,
      interval: v.scrapeInterval,
      timeout: v.scrapeTimeout,
      targets,
      healthUrl,
      // Only the local stack probes an address a browser on the same machine reaches.
      healthLinkUrl: v.healthLinkUrl ?? (platform === "local" ? healthUrl : undefined),
      blackboxExporter: v.blackboxExporter,
      blackboxModule: v.blackboxModule,
      upgradeProbe: v.upgradeProbe ? { jobName: v.upgradeJobName, module: v.upgradeProbeModule, targets: targets.length ? targets : [hostPort(healthUrl)] } : undefined,
    },
    metrics: {
      activeConnections: v.metricActiveConnections,
      connectionsTotal: v.metricConnectionsTotal,
      disconnectionsTotal: v.metricDisconnectionsTotal,
      messagesTotal: v.metricMessagesTotal,
      connectionDuration: v.metricConnectionDuration,
      processCpu: v.metricProcessCpu,
      residentMemory: v.metricResidentMemory,
      openFds: v.metricOpenFds,
      maxFds: v.metricMaxFds,
      eventLoopLag: v.metricEventLoopLag,
      upgradesTotal: v.metricUpgradesTotal,
      handshakeDuration: v.metricHandshakeDuration,
      closesTotal: v.metricClosesTotal,
      messageDuration: v.metricMessageDuration,
      connectionLimit: v.metricConnectionLimit,
    },
    alerts: {
      engine: v.alertEngine,
      evaluationInterval: v.alertEvaluationInterval,
      connectionsWarning: v.connectionsWarning,
      connectionsMax: v.connectionsMax,
      aboveThresholdFor: v.aboveThresholdFor,
      noConnectionsFor: v.noConnectionsFor,
      unstableChangeRatio: v.unstableChangeRatio,
      unstableWindow: v.unstableWindow,
      unstableMinBaseline: v.unstableMinBaseline,
      unstableFor: v.unstableFor,
      serviceDownFor: v.serviceDownFor,
      runbookBaseUrl: v.runbookBaseUrl,
      operationalHours: { timezone: v.operationalTimezone, weekdays: v.operationalDays, start: v.operationalStart, end: v.operationalEnd },
      objectives: {
        availability: v.sloAvailabilityObjective,
        connections: v.sloConnectionsObjective,
        handshake: v.sloHandshakeObjective,
        rolloutWindow: v.sloRolloutWindow,
        period: v.sloPeriod,
        pageFor: v.sloPageFor,
        ticketFor: v.sloTicketFor,
      },
      layer: {
        exposes: { upgrades: v.exposesUpgrades, closeCodes: v.exposesCloseCodes, connectionLimit: v.exposesConnectionLimit },
        ...pick(v, ["handshakeFailureRatio", "handshakeFailuresFor", "connectionLimitShare", "nearLimitFor", "imbalanceFactor", "imbalanceMinConnections", "imbalanceFor", "abnormalCloseRatio", "abnormalClosesFor"]),
        window: v.layerWindow,
      },
    },
    notifications: {
      slack: v.slackWebhookUrl ? { webhookUrl: v.slackWebhookUrl, channel: v.slackChannel } : undefined,
      email: v.emailAddresses ? { addresses: v.emailAddresses } : undefined,
      webhook: v.webhookUrl ? { url: v.webhookUrl } : undefined,
      heartbeat: v.heartbeatUrl ? { url: v.heartbeatUrl, interval: v.heartbeatInterval } : undefined,
      critical: v.criticalReceivers ?? receivers,
      warning: v.warningReceivers ?? receivers,
      groupWait: v.groupWait,
      groupInterval: v.groupInterval,
      repeatInterval: v.repeatInterval,
    },
  };
}

/** The values of `keys`, under the same names. */
function pick<T, K extends keyof T>(v: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, v[k]])) as Pick<T, K>;
}

/** Where the local and docker platforms run Prometheus, Grafana and Alertmanager on this host. */
const HOST_PORTS = ["prometheusPort", "grafanaPort", "alertmanagerPort"] as const;

function localSettings(v: ValuesOn<"local">): LocalSettings {
  const smtp = smtpSettings(v);
  return { ...pick(v, [...HOST_PORTS, "prometheusConfigFile", "alertmanagerConfigFile"]), smtp: smtp && { ...smtp, requireTls: v.smtpRequireTls } };
}

function dockerSettings(v: ValuesOn<"docker">): DockerSettings {
  return {
    ...pick(v, [...HOST_PORTS, "prometheusImage", "grafanaImage", "blackboxImage", "alertmanagerImage", "keepData"]),
    network: v.dockerNetwork,
    smtp: smtpSettings(v),
  };
}

function kubernetesSettings(v: ValuesOn<"kubernetes">): KubernetesSettings {
  return {
    namespace: v.k8sNamespace,
    scrapeMode: v.k8sScrapeMode,
    serviceNamespace: v.k8sServiceNamespace,
    serviceSelector: v.k8sServiceSelector,
    servicePort: v.k8sServicePort,
    monitorLabels: v.k8sMonitorLabels,
    prometheusRetention: v.k8sPrometheusRetention,
    smtp: smtpSettings(v),
    dashboards:
      v.dashboardDelivery === "configMap"
        ? { delivery: "configMap", labels: v.dashboardConfigMapLabels, folderAnnotation: v.dashboardFolderAnnotation }
        : { delivery: "grafanaApi" },
  };
}

function smtpSettings(v: ValuesOn<Platform>): SmtpSettings | undefined {
  return v.smtpHost ? { host: v.smtpHost, user: v.smtpUser, password: v.smtpPassword, fromAddress: v.smtpFromAddress } : undefined;
}
