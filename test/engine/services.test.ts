/**
 * Several services through the real engine (staging, alerting with Prometheus, dashboards as
 * ConfigMaps): two listed services deploy, preview as no change and destroy; and adding `services`
 * to a deployed single-service stack does what README says ("Many services in one stack"): that
 * service's own objects are replaced (new names that carry the service's name), the environment's
 * stay the same objects.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../harness/kubernetes/api";
import { revealed } from "../../harness/kubernetes/monitoringCluster";
import { kubernetesManifests } from "../../render/renderedFiles";
import { bounded, objectUid, stackObjects } from "../support/engineChecks";
import { changes, engineFixture, engineStack } from "../support/engineRuns";
import { CONFIG_MAP_DELIVERY, listedServices } from "../support/stacks";

const fixture = engineFixture();

const strategy = "OnNamespaceExceptForAlertmanagerNamespace";
const uid = (o: KubeObject) => objectUid(fixture.cluster.api, o);

test("two listed services: up, a no-op preview, destroy leaving nothing", async () => {
  const namespace = "engine-two-services";
  const two = await engineStack(fixture, { stack: "staging", name: "two", namespace, overrides: { ...CONFIG_MAP_DELIVERY, ...listedServices("staging", ["chat", "presence"]) }, strategy });
  await bounded("up of two services", (o) => two.stack.up(o));
  const there = await stackObjects(fixture.cluster.api, namespace);
  for (const o of kubernetesManifests(two.services).map((m) => revealed(m))) assert.ok(await fixture.cluster.api.find(o), `${o.kind} ${o.metadata.name} is missing; there: ${there.join(", ")}`);
  await bounded("preview of two services", (o) => two.stack.preview({ ...o, expectNoChanges: true }));
  await bounded("destroy of two services", (o) => two.stack.destroy(o));
  assert.deepEqual(await stackObjects(fixture.cluster.api, namespace), []);
});

test("adding `services` to a deployed single-service stack replaces that service's objects and keeps the environment's", async () => {
  const namespace = "engine-add-services";
  const single = await engineStack(fixture, { stack: "staging", name: "single", namespace, overrides: CONFIG_MAP_DELIVERY, strategy });
  await bounded("up of the single-service stack", (o) => single.stack.up(o));
  const before = kubernetesManifests(single.services).map((m) => revealed(m));
  const environment = before.filter((o) => ["AlertmanagerConfig", "Secret"].includes(o.kind));
  const uidsBefore = await Promise.all(environment.map(uid));

  await single.reconfigure(listedServices("staging", ["chat"]));
  const up = await bounded("up with services listed", (o) => single.stack.up(o));
  const after = kubernetesManifests(single.services).map((m) => revealed(m));
  const names = (objects: KubeObject[]) => new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`));
  const gone = [...names(before)].filter((n) => !names(after).has(n));
  const added = [...names(after)].filter((n) => !names(before).has(n));
  // Each of the service's objects under a name that carries the service's; with `services` the heartbeat has a rule object of its own.
  assert.deepEqual(added.sort(), [...gone.map((n) => n.replace("websocket-staging-", "websocket-staging-chat-")), "PrometheusRule/websocket-staging-heartbeat"].sort());
  for (const n of gone) assert.doesNotMatch(n, /^(AlertmanagerConfig|Secret)\//, `an environment object was replaced: ${n}`);
  assert.ok((changes(up.summary).delete ?? 0) >= gone.length, up.stdout);
  assert.deepEqual(await Promise.all(environment.map(uid)), uidsBefore, "the environment's Secrets and AlertmanagerConfig are the same objects");
  assert.deepEqual((await stackObjects(fixture.cluster.api, namespace)).sort(), [...names(after)].map((n) => n.replace(/^(\w+)\//, (_, k: string) => `${k.toLowerCase()}s/`)).sort());
  await bounded("destroy", (o) => single.stack.destroy(o));
});
