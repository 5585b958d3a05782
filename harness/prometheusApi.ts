/** The few calls of Prometheus' HTTP API the tests and the benchmark make. */
import { fetchWithin } from "./bounds";

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface ActiveAlert {
  labels: Record<string, string>;
  state: "pending" | "firing";
  activeAt: string;
}

interface ApiResponse<T> {
  status: "success" | "error";
  data: T;
  error?: string;
}

export class PrometheusApi {
  constructor(readonly baseUrl: string) {}

  private async get<T>(path: string, params: Record<string, string | string[]> = {}): Promise<T> {
    const url = new URL(path, this.baseUrl);
    for (const [key, value] of Object.entries(params)) {
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, v);
    }
    const res = await fetchWithin(url);
    const body = (await res.json()) as ApiResponse<T>;
    if (body.status !== "success") throw new Error(`${url.pathname}: ${body.error ?? res.status}`);
    return body.data;
  }

  /** Instant query, at `time` (Unix seconds) or now. Query errors (bad PromQL) throw. */
  async query(expr: string, time?: number): Promise<Sample[]> {
    const data = await this.get<{ result: { metric: Record<string, string>; value: [number, string] }[] }>("/api/v1/query", {
      query: expr,
      ...(time === undefined ? {} : { time: String(time) }),
    });
    return data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  }

  labelValues(label: string, match: string): Promise<string[]> {
    return this.get<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values`, { "match[]": match });
  }

  async alerts(): Promise<ActiveAlert[]> {
    return (await this.get<{ alerts: ActiveAlert[] }>("/api/v1/alerts")).alerts;
  }

  async isReady(): Promise<boolean> {
    return (await fetchWithin(new URL("/-/ready", this.baseUrl))).ok;
  }
}
