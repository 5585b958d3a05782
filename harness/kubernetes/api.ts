/**
 * A minimal client of the Kubernetes API over TLS with a client certificate: server-side apply,
 * GET and DELETE by object, enough to drive a real API server without kubectl.
 */
import { readFileSync } from "node:fs";
import * as https from "node:https";
import type { Certificates } from "./certificates";
import { HTTP_TIMEOUT_MS } from "../bounds";

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

export type KubeObject = ObjectRef & Record<string, unknown>;

/** Resource names that are not the kind in lower case plus "s". */
const IRREGULAR_PLURALS: Record<string, string> = { Prometheus: "prometheuses" };

export function resourcePath(o: ObjectRef): string {
  const base = o.apiVersion.includes("/") ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const plural = IRREGULAR_PLURALS[o.kind] ?? `${o.kind.toLowerCase()}s`;
  const namespace = o.metadata.namespace ? `/namespaces/${o.metadata.namespace}` : "";
  return `${base}${namespace}/${plural}/${o.metadata.name}`;
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class KubernetesApi {
  private readonly agent: https.Agent;

  constructor(readonly url: string, certs: Certificates) {
    this.agent = new https.Agent({ ca: readFileSync(certs.caCert), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey), keepAlive: true });
  }

  request(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(`${this.url}${path}`, { method, agent: this.agent, headers: { accept: "application/json", ...(payload && { "content-type": contentType }) } }, (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d));
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) return reject(new ApiError(status, `${method} ${path}: HTTP ${status}: ${text}`));
          // Health endpoints (/readyz) answer plain text.
          resolve(res.headers["content-type"]?.startsWith("application/json") ? JSON.parse(text) : text);
        });
      });
      req.on("error", reject);
      // An API server that accepts and never answers fails the call instead of hanging the test.
      req.setTimeout(HTTP_TIMEOUT_MS, () => req.destroy(new Error(`${method} ${path}: no answer within ${HTTP_TIMEOUT_MS} ms`)));
      req.end(payload);
    });
  }

  /**
   * Server-side apply, as `kubectl apply --server-side` does; the API server validates against the
   * schema and refuses unknown fields. By default as the stack's field manager, taking over fields
   * another manager set (`force`, what the Pulumi provider does for objects annotated `pulumi.com/patchForce`).
   */
  apply(o: ObjectRef, { fieldManager = "websocket-monitoring-test", force = true } = {}): Promise<KubeObject> {
    const query = `fieldManager=${encodeURIComponent(fieldManager)}&force=${force}&fieldValidation=Strict`;
    return this.request("PATCH", `${resourcePath(o)}?${query}`, o, "application/apply-patch+yaml") as Promise<KubeObject>;
  }

  delete(o: ObjectRef): Promise<unknown> {
    return this.request("DELETE", resourcePath(o));
  }

  get(o: ObjectRef): Promise<KubeObject> {
    return this.request("GET", resourcePath(o)) as Promise<KubeObject>;
  }

  /** The object, or undefined while it does not exist. */
  async find(o: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return await this.get(o);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
