/** The Grafana preflight against a real HTTP server playing Grafana's answers. */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { Secret } from "../../lib/secret";
import { PreflightError, checkGrafana, grafanaRequirements } from "../../preflight/grafana";
import { settingsFromStackFile } from "../../render/stackSettings";
import { freePort } from "../../harness/processes";

let server: Server;
let url = "";
let version = "12.1.1";

before(async () => {
  server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/api/health") {
      res.end(JSON.stringify({ database: "ok", version }));
      return;
    }
    const ok = req.headers.authorization === `Basic ${Buffer.from("admin:right").toString("base64")}` || req.headers.authorization === "Bearer glsa_ok";
    res.statusCode = ok ? 200 : 401;
    if (!ok) {
      res.end(JSON.stringify({ message: "Invalid username or password" }));
      return;
    }
    // Grafana's answers for two data sources, as GET /api/datasources/uid/<uid> gives them; any other uid is unknown.
    const datasource = { "/api/datasources/uid/prometheus": { uid: "prometheus", type: "prometheus" }, "/api/datasources/uid/loki": { uid: "loki", type: "loki" } }[req.url ?? ""];
    if (req.url?.startsWith("/api/datasources/uid/") && !datasource) res.statusCode = 404;
    res.end(JSON.stringify(datasource ?? (res.statusCode === 404 ? { message: "Data source not found" } : [])));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

describe("Grafana preflight", () => {
  test("passes with working basic-auth or token credentials", async () => {
    assert.deepEqual(await checkGrafana({ url, auth: new Secret("admin:right") }, []), { version: "12.1.1" });
    assert.deepEqual(await checkGrafana({ url, auth: new Secret("glsa_ok") }, []), { version: "12.1.1" });
  });

  test("wrong credentials name grafanaAuth and never print them", async () => {
    await assert.rejects(checkGrafana({ url, auth: new Secret("admin:wrong-pw") }, []), (e: Error) => {
      assert.ok(e instanceof PreflightError);
      assert.match(e.message, /^websocket-monitoring:grafanaAuth: Grafana at .* rejected the credentials \(HTTP 401: Invalid username or password\)/);
      assert.ok(!e.message.includes("wrong-pw"));
      return true;
    });
  });

  test("unreachable Grafana names grafanaUrl and how to start it", async () => {
    const port = await freePort();
    await assert.rejects(
      checkGrafana({ url: `http://127.0.0.1:${port}`, auth: new Secret("admin:right") }, []),
      /grafanaUrl: cannot reach Grafana at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. Start Grafana/,
    );
  });

  test("each feature asks for its own Grafana: 12.1 for Grafana-managed operational hours, 11.0 for the dashboard alone", async () => {
    const needs = (stack: string, overrides: Record<string, string> = {}) => grafanaRequirements(settingsFromStackFile(stack, overrides));
    version = "11.6.0";
    try {
      await assert.rejects(
        checkGrafana({ url, auth: new Secret("admin:right") }, needs("prod")),
        /Grafana 11\.6\.0 at .* is too old: the operational hours of WebSocketNoActiveConnections \(active time intervals in per-rule notification settings\) need Grafana 12\.1 or later\. Upgrade Grafana \(or let Prometheus and Alertmanager alert/,
      );
      await assert.rejects(checkGrafana({ url, auth: new Secret("admin:right") }, needs("dev")), /\(active time intervals on notification policies\) need Grafana 12\.1/);
      assert.deepEqual(await checkGrafana({ url, auth: new Secret("admin:right") }, needs("local")), { version: "11.6.0" }, "alertEngine prometheus: the dashboard alone");
      version = "10.4.3";
      await assert.rejects(checkGrafana({ url, auth: new Secret("admin:right") }, needs("local")), /Grafana 10\.4\.3 .* too old: the folder, datasource and dashboard need Grafana 11\.0 or later\. Upgrade Grafana\.$/);
    } finally {
      version = "12.1.1";
    }
  });

  test("a data source the stack uses but does not create: it must exist and be Prometheus, or the message names datasourceUid, the Grafana and the fix", async () => {
    const auth = new Secret("admin:right");
    assert.deepEqual(await checkGrafana({ url, auth }, [], "prometheus"), { version: "12.1.1" });
    await assert.rejects(checkGrafana({ url, auth }, [], "promethues"), (e: Error) => {
      assert.ok(e instanceof PreflightError);
      assert.match(e.message, new RegExp(`^websocket-monitoring:datasourceUid = "promethues": Grafana at ${url} has no data source with this uid\\. Set datasourceUid to the uid of an existing Prometheus data source .*'pulumi config set createDatasource true'`));
      return true;
    });
    await assert.rejects(checkGrafana({ url, auth }, [], "loki"), /datasourceUid = "loki": the data source at .* with this uid is of type 'loki', not 'prometheus'/);
  });
});
