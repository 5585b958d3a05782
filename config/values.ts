/**
 * The type of each key's parsed value, derived from the schema table: reading a key that is not
 * in the table, or as another type than its kind, does not compile.
 */
import type { ConfigKey, KeyKind, KeySpec, Platform, SpecOf } from "./schema";
import type { Secret } from "../lib/secret";
import type { Duration } from "./settings";

interface KindValue extends Record<KeyKind, unknown> {
  string: string;
  integer: number;
  number: number;
  boolean: boolean;
  duration: Duration;
  url: string;
  enum: string;
  list: string[];
  map: Record<string, string>;
  /** Read by config/services.ts, not as a value of its own. */
  services: never;
}

type ValueOfSpec<S extends KeySpec> = S extends { secret: true }
  ? Secret
  : S extends { kind: "enum"; values: readonly (infer V)[] }
    ? V
    : S extends { kind: "list"; values: readonly (infer V)[] }
      ? V[]
      : KindValue[S["kind"]];

export type ValueOf<K extends ConfigKey> = ValueOfSpec<SpecOf<K>>;

/** Every key whose value was given or defaulted, and parsed. */
export type ParsedValues = { [K in ConfigKey]?: ValueOf<K> };

/** The platforms on which a key has a value whenever validation passes: required there, or a default there. */
type Covered<S> =
  | (S extends { required: true } ? Platform : S extends { required: readonly (infer P)[] } ? P : never)
  | (S extends { default: string } ? Platform : S extends { default: infer D } ? keyof D : never);

type AlwaysOn<K extends ConfigKey, P extends Platform> = [P] extends [Covered<SpecOf<K>>] ? K : never;

/** The values of a valid config on platform P: a key that is always set there is not optional. */
export type ValuesOn<P extends Platform> = ParsedValues & { [K in ConfigKey as AlwaysOn<K, P>]-?: ValueOf<K> };
