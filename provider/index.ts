// The component package's entry: what `pulumi package add` finds here, the components and their Args.
export { MonitoringEnvironment, type MonitoringEnvironmentArgs } from "../components/environment";
export { WebSocketMonitoring, type WebSocketMonitoringArgs } from "../components/monitoring";
export type { EnvironmentArgs, ServiceArgs } from "../components/args";
