/**
 * What `npm run up` starts for the services the local stack watches (scripts/local-env.ts): a
 * reference service on each target of each service, and demo clients of each service, on its
 * first target, so that no service of a stack with `services` pages WebSocketServiceDown or
 * WebSocketNoActiveConnections at idle. A target that is not on this machine cannot be started:
 * refused, naming the key. WSMON_MAX_CONNECTIONS sets the limit of every reference service (to
 * reach WebSocketConnectionsNearLimit), refused unless a whole number of at least 1.
 */
import type { LocalStack } from "../config/settings";
import { fullName } from "../config/wording";

/** Hosts a reference service can listen on here. */
const LOCAL_HOSTS = ["127.0.0.1", "localhost"];

export interface ReferenceProcess {
  /** Its name in .local/run/ and the summary: `service` for a stack's one service, `service-<name>` for a listed one; `@2`, `@3` for its further targets. */
  name: string;
  host: string;
  port: string;
  /** Which service it stands in for: the service's name. */
  service: string;
}

export interface DemoClientsProcess {
  name: string;
  url: string;
  /** Whose clients: the service's name. */
  service: string;
}

export interface LocalProcesses {
  references: ReferenceProcess[];
  clients: DemoClientsProcess[];
  /** One per target that cannot be started here, each naming its key: nothing starts then. */
  problems: string[];
}

export function localProcesses(services: readonly LocalStack[]): LocalProcesses {
  const result: LocalProcesses = { references: [], clients: [], problems: [] };
  services.forEach((s, index) => {
    const suffix = s.service.listed ? `-${s.service.name}` : "";
    const key = fullName(s.service.listed ? `services[${index}].targets` : "targets");
    const remote = s.scrape.targets.filter((t) => !LOCAL_HOSTS.includes(t.slice(0, t.lastIndexOf(":"))));
    if (remote.length) {
      result.problems.push(
        `${key} = "${JSON.stringify(s.scrape.targets)}": 'npm run up' starts a reference service on each target, so each must be on this machine; ` +
          `allowed here: ${LOCAL_HOSTS.map((h) => `${h}:<port>`).join(" or ")} (not allowed: ${remote.map((t) => `'${t}'`).join(", ")}). A service elsewhere is watched by a stack of its own platform, not by 'npm run up'.`,
      );
      return;
    }
    s.scrape.targets.forEach((target, i) => {
      const at = target.lastIndexOf(":");
      result.references.push({ name: `service${suffix}${i ? `@${i + 1}` : ""}`, host: target.slice(0, at), port: target.slice(at + 1), service: s.service.name });
    });
    // Every instance: the clients of one that stops reconnect to another, as behind a load balancer.
    result.clients.push({ name: `demo-clients${suffix}`, url: s.scrape.targets.map((t) => `ws://${t}/ws`).join(","), service: s.service.name });
  });
  return result;
}

/** WSMON_MAX_CONNECTIONS as the reference services' `--max-connections` ("" when unset: the service's default), or its problem. */
export function maxConnections(text: string | undefined): { value: string; problem?: string } {
  if (text === undefined || text === "") return { value: "" };
  if (/^[1-9]\d{0,6}$/.test(text)) return { value: text };
  return { value: "", problem: `WSMON_MAX_CONNECTIONS = "${text}": allowed: a whole number from 1 to 9999999, the connections each reference service of 'npm run up' accepts (unset: 10000).` };
}

/** Reference services and demo clients an earlier run started that the stack no longer has (a service renamed, a target gone), by their pid files' names. */
export function staleProcesses(pidNames: readonly string[], planned: LocalProcesses): string[] {
  const names = new Set([...planned.references, ...planned.clients].map((p) => p.name));
  return pidNames.filter((name) => /^(service|demo-clients)([-@]|$)/.test(name) && !names.has(name));
}
