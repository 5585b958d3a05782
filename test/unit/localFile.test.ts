/** The local platform's file write + Prometheus reload, against a real HTTP endpoint. */
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { localFileProvider, writeAndReload } from "../../components/localFile";
import { tempDir } from "../../harness/tempDir";

let server: Server;
let base = "";
const reloads: string[] = [];
const dir = tempDir("localfile-");

before(async () => {
  server = createServer((req, res) => {
    reloads.push(`${req.method} ${req.url}`);
    res.statusCode = req.url === "/-/reload" ? 200 : 500;
    res.end(req.url === "/-/reload" ? "" : "failed to reload config: bad yaml");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

test("writes the file (creating its folder) and POSTs the reload", async () => {
  const file = path.join(dir, "nested", "prometheus.yml");
  await writeAndReload({ path: file, content: "scrape_configs: []\n", reloadUrl: `${base}/-/reload` });
  assert.equal(readFileSync(file, "utf8"), "scrape_configs: []\n");
  assert.deepEqual(reloads, ["POST /-/reload"]);
});

test("a refused reload fails with Prometheus' answer and what to do", async () => {
  await assert.rejects(
    writeAndReload({ path: path.join(dir, "p.yml"), content: "x", reloadUrl: `${base}/broken`, reloadProcess: "Prometheus" }),
    /but Prometheus refused to reload it \(POST http:\/\/127\.0\.0\.1:\d+\/broken: HTTP 500: failed to reload config: bad yaml\); it keeps running with its previous configuration/,
  );
});

test("the reload waits until every file the process reads with this one exists", async () => {
  const [config, rules] = [path.join(dir, "wait", "prometheus.yml"), path.join(dir, "wait", "rules.yml")];
  const before = reloads.length;
  await writeAndReload({ path: rules, content: "groups: []\n", reloadUrl: `${base}/-/reload`, reloadProcess: "Prometheus", readWith: [config] });
  assert.equal(reloads.length, before, "no reload while prometheus.yml is missing");
  await writeAndReload({ path: config, content: "rule_files: [rules.yml]\n", reloadUrl: `${base}/-/reload`, reloadProcess: "Prometheus", readWith: [rules] });
  assert.deepEqual(reloads.slice(before), ["POST /-/reload"], "one reload, once both exist");
});

type InitError = Error & { id?: string; properties?: unknown; reasons?: string[] };

for (const step of ["create", "update"] as const) {
  test(`${step}: a refused reload still hands the engine the written file (id and state), so the state keeps it and destroy removes it`, async () => {
    const file = path.join(dir, `${step}.yml`);
    // The dynamic provider's inputs carry its serialized code; the recorded state must keep it.
    const inputs = { path: file, content: step, reloadUrl: `${base}/broken`, reloadProcess: "Prometheus", __provider: "[code]" };
    const call = step === "create" ? localFileProvider.create(inputs) : localFileProvider.update!(file, inputs, inputs);
    await assert.rejects(call, (e: InitError) => {
      assert.equal(e.id, file);
      assert.deepEqual(e.properties, inputs);
      assert.match(e.reasons?.join("\n") ?? "", /Prometheus refused to reload it \(POST http:\/\/127\.0\.0\.1:\d+\/broken: HTTP 500/);
      return true;
    });
    assert.equal(readFileSync(file, "utf8"), step);
    await localFileProvider.delete!(file, inputs);
    assert.equal(existsSync(file), false);
  });
}
