import type * as docker from "@pulumi/docker";
import type { Settings } from "../config/settings";

/** Args of a component that places its part per platform: files, containers or Kubernetes objects. */
export interface PlatformArgs {
  settings: Settings;
  /** Docker only: the stack's network, which the component's containers join. */
  dockerNetwork?: docker.Network;
}
