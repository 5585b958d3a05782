/**
 * A file on the machine that runs `pulumi up`, followed by an optional HTTP POST (Prometheus'
 * /-/reload) so a running process picks the change up. Used for the `local` platform, where
 * Prometheus runs as a plain process.
 */
import * as pulumi from "@pulumi/pulumi";

export interface LocalFileArgs {
  path: pulumi.Input<string>;
  content: pulumi.Input<string>;
  /**
   * POSTed after every write. A failure fails the update with its reason, but the file stays in
   * the state (the engine records it as created but not initialized, and updates it again on the
   * next `pulumi up`), so `pulumi destroy` still removes it.
   */
  reloadUrl?: pulumi.Input<string>;
  /** Who answers at `reloadUrl` ("Prometheus", "Alertmanager"): named in the errors. */
  reloadProcess?: pulumi.Input<string>;
  /**
   * The other files the reloaded process reads with this one. The reload waits until each
   * exists, so that whichever is written last reloads, in any order: after `pulumi destroy`
   * removed them all, the next `pulumi up` never asks Prometheus for a config it cannot load.
   */
  readWith?: pulumi.Input<pulumi.Input<string>[]>;
}

interface LocalFileState {
  path: string;
  content: string;
  reloadUrl?: string;
  reloadProcess?: string;
  readWith?: string[];
}

// Dynamic provider methods are serialized into the state: they require what they use.
export const localFileProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: LocalFileState) {
    await writeAndReload(inputs);
    return { id: inputs.path, outs: inputs };
  },
  async diff(_id: string, olds: LocalFileState, news: LocalFileState) {
    const replaces = olds.path !== news.path ? ["path"] : [];
    const changes = replaces.length > 0 || olds.content !== news.content || olds.reloadUrl !== news.reloadUrl;
    return { changes, replaces, deleteBeforeReplace: false };
  },
  async update(_id: string, _olds: LocalFileState, news: LocalFileState) {
    await writeAndReload(news);
    return { outs: news };
  },
  async delete(_id: string, props: LocalFileState) {
    require("node:fs").rmSync(props.path, { force: true });
  },
};

export async function writeAndReload(state: LocalFileState): Promise<void> {
  const fs = require("node:fs");
  const nodePath = require("node:path");
  fs.mkdirSync(nodePath.dirname(state.path), { recursive: true });
  const tmp = `${state.path}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, state.content);
  fs.renameSync(tmp, state.path);
  if (!state.reloadUrl || (state.readWith ?? []).some((other) => !fs.existsSync(other))) return;
  const proc = state.reloadProcess ?? "the process";
  let message: string;
  try {
    const res = await fetch(state.reloadUrl, { method: "POST" });
    if (res.ok) return;
    message =
      `wrote ${state.path}, but ${proc} refused to reload it (POST ${state.reloadUrl}: HTTP ${res.status}: ${(await res.text()).trim()}); ` +
      `it keeps running with its previous configuration: fix what it names, then run 'pulumi up' again.`;
  } catch (e) {
    const reason = String((e as Error & { cause?: unknown }).cause ?? e);
    message =
      `wrote ${state.path}, but ${proc} does not answer at ${state.reloadUrl} (${reason}). ` +
      `Start it ('npm run up' starts Prometheus and Alertmanager, each with its reload endpoint on), then run 'pulumi up' again.`;
  }
  // An error with the resource's id and state is the SDK's "created, but failed to initialize"
  // (ErrorResourceInitFailed): the engine records the file instead of forgetting it.
  throw Object.assign(new Error(message), { id: state.path, properties: state, reasons: [message] });
}

export class LocalFile extends pulumi.dynamic.Resource {
  declare readonly path: pulumi.Output<string>;
  declare readonly content: pulumi.Output<string>;

  constructor(name: string, args: LocalFileArgs, opts?: pulumi.CustomResourceOptions) {
    super(localFileProvider, name, args, opts, "websocket-monitoring", "LocalFile");
  }
}
