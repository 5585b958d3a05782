/** What names need of a stack's settings (config/settings.ts' Settings has it): the prefix, the environment, which service. */
interface Named {
  namePrefix: string;
  environment: string;
  service: { name: string; listed: boolean };
}

/** The one prefix every resource and Grafana object name of a stack derives from. */
export function resourceBaseName(s: Named): string {
  return `${s.namePrefix}-${s.environment}`;
}

/** `base` for the stack's one service; `base-<name>` for a service listed in `services`. */
export function ofService(s: Named, base: string): string {
  return s.service.listed ? `${base}-${s.service.name}` : base;
}

/** The prefix of one service's resources. */
export function serviceBaseName(s: Named): string {
  return ofService(s, resourceBaseName(s));
}

/**
 * Which service a summary is about, for a service listed in `services` (` to chat`, ` of chat`,
 * ` chat` without `prep`): a push title shows only the summary. Empty for a stack's one service,
 * whose texts stay as they were.
 */
export function whichService(s: Named, prep?: string): string {
  return s.service.listed ? ` ${prep ? `${prep} ` : ""}${s.service.name}` : "";
}
