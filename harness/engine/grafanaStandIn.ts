/**
 * A stand-in for the Grafana provider plugin (`pulumi-resource-grafana`), which cannot be had on
 * these machines (no module of it is served, and Grafana itself is not to be run here): a resource
 * provider over Pulumi's own gRPC server (`@pulumi/pulumi/provider`) that keeps each object's inputs
 * in a JSON file, as Grafana would keep the object, and answers the datasource lookup. It lets a
 * real engine run the programs that also hold Grafana objects (the previous release's, the
 * Grafana engine's) so that what the tests look at — the Kubernetes objects, the state, the plan —
 * is real; what Grafana itself would accept is proven elsewhere (mock engine, schema, users' runs).
 *
 * `WSMON_GRAFANA_STAND_IN_DIR` holds `objects.json`; a file `fail-next` there makes the next
 * create or update fail once (a Grafana that answers 500), naming the object.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { main, type Provider } from "@pulumi/pulumi/provider";

const dir = process.env.WSMON_GRAFANA_STAND_IN_DIR;
if (!dir) throw new Error("grafanaStandIn: WSMON_GRAFANA_STAND_IN_DIR is not set (harness/engine/grafana.ts sets it)");
const store = path.join(dir, "objects.json");

type Objects = Record<string, Record<string, unknown>>;
const load = (): Objects => (existsSync(store) ? (JSON.parse(readFileSync(store, "utf8")) as Objects) : {});
const save = (objects: Objects) => writeFileSync(store, JSON.stringify(objects, null, 1));

/** The resource type's last segment (`grafana:oss/dashboard:Dashboard` → `Dashboard`) from a URN. */
const typeOf = (urn: string) => urn.split("::")[2].split(":").pop()!;

/** What Grafana computes: the uid it would assign, and the dashboard's URL. */
function computed(urn: string, id: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const uid = (inputs.uid as string | undefined) ?? id;
  if (typeOf(urn) !== "Dashboard") return { uid };
  const model = JSON.parse(inputs.configJson as string) as { uid: string };
  return { uid: model.uid, dashboardId: 1, url: `http://grafana.stand-in/d/${model.uid}` };
}

function failOnce(urn: string): void {
  const marker = path.join(dir!, "fail-next");
  if (!existsSync(marker)) return;
  rmSync(marker);
  throw new Error(`grafana stand-in: HTTP 500 for ${urn} (fault injected by the test)`);
}

let next = Date.now();
const provider: Provider = {
  version: "2.40.0",
  async check(_urn, _olds, news) {
    return { inputs: news };
  },
  async diff(_id, _urn, olds, news) {
    const changed = Object.keys({ ...olds, ...news }).filter((k) => k in news && JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    return { changes: changed.length > 0, diffs: changed };
  },
  async create(urn, inputs) {
    failOnce(urn);
    const id = (inputs.uid as string | undefined) ?? `stand-in-${(next++).toString(36)}`;
    const outs = { ...inputs, ...computed(urn, id, inputs) };
    save({ ...load(), [id]: outs });
    return { id, outs };
  },
  async read(id, _urn, props) {
    const found = load()[id];
    return found ? { id, props: found } : { id: "", props: props ?? {} };
  },
  async update(id, urn, _olds, news) {
    failOnce(urn);
    const outs = { ...news, ...computed(urn, id, news) };
    save({ ...load(), [id]: outs });
    return { outs };
  },
  async delete(id) {
    const objects = load();
    delete objects[id];
    save(objects);
  },
  async invoke(token, inputs) {
    if (token === "grafana:oss/getDataSource:getDataSource") return { outputs: { ...inputs, id: inputs.uid, type: "prometheus", name: inputs.uid } };
    throw new Error(`grafana stand-in: no function ${token}`);
  },
};

main(provider, process.argv.slice(2)).catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
