import { inspect } from "node:util";

/**
 * A configuration value that must never be printed. The pure model code holds it as this
 * wrapper; only the Pulumi wiring calls `reveal()`, and then immediately wraps the value
 * with `pulumi.secret()`, so it is encrypted in state and masked in logs.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
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
