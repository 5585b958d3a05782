import { inspect } from "node:util";

/**
 * A configuration value that must never be printed. The pure model code holds it as this
 * wrapper; only the Pulumi wiring calls `reveal()`, and then immediately wraps the value
 * with `pulumi.secret()`, so it is encrypted in state and masked in logs.
 */
export class Secret {
  readonly #value: string;

  /**
   * `input`: where the value is a Pulumi output (a component's Args): `value` then stands in for
   * validation only, and the resources take `input` (config/pulumi.ts' secretInput).
   */
  constructor(
    value: string,
    readonly input?: unknown,
  ) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  /** The value, to be written into `where` (a file, an environment): a Pulumi output cannot be. */
  plain(where: string): string {
    if (this.input !== undefined) throw new Error(`a secret given as a Pulumi output cannot be written into ${where}: give it as a plain string (it stays a Pulumi secret)`);
    return this.#value;
  }

  toString(): string {
    return "[secret]";
  }

  toJSON(): string {
    return "[secret]";
  }

  [inspect.custom](): string {
    return "[secret]";
  }
}
