/**
 * Reads the stack's config from the Pulumi runtime and validates it. The only config code that
 * touches Pulumi; everything it hands on is plain, validated Settings.
 */
import * as pulumi from "@pulumi/pulumi";
import { readRawConfig, type RawConfig } from "./rawConfig";
import { ConfigError, validateServices } from "./validate";
import type { Secret } from "../lib/secret";
import type { Settings } from "./settings";

// Not in the typings, but exported by @pulumi/pulumi's runtime since 2.x: whether the CLI passed
// a key as secret. Needed to refuse plain-text values for secret keys.
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

/** This project's config of the current stack, as the CLI hands it to the program. */
export function rawPulumiConfig(): RawConfig {
  return readRawConfig(pulumi.runtime.allConfig(), (text, _key, fullKey) => ({ text, secret: runtimeConfig.isConfigSecret(fullKey) }));
}

/** Validated settings of each service of the current stack; a config problem ends the program with a clean message. */
export function servicesFromPulumiConfig(): [Settings, ...Settings[]] {
  return servicesOfStack(rawPulumiConfig());
}

/** `raw` validated as the current stack's config; a problem ends the program with validation's message (a component's Args: components/fromArgs.ts). */
export function servicesOfStack(raw: RawConfig): [Settings, ...Settings[]] {
  try {
    return validateServices(raw, pulumi.getStack());
  } catch (e) {
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

/** A secret setting as a Pulumi secret: encrypted in state, masked in logs. */
export function secretInput(value: Secret): pulumi.Output<string> {
  return pulumi.secret(value.input === undefined ? value.reveal() : pulumi.output(value.input as pulumi.Input<string>));
}
