/** The check before `pulumi destroy` in the destroy workflow (scripts/destroy-guard.ts). */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { PROJECT_DIR } from "../../config/stackFile";
import { destroyRefusal } from "../../scripts/destroy-guard";
import { tempDir } from "../../harness/tempDir";

describe("destroy guard", () => {
  test("dev, confirmed by its name: may be destroyed", () => {
    assert.equal(destroyRefusal("dev", "dev"), undefined);
  });

  test("a confirmation that is not the stack name is refused", () => {
    assert.match(destroyRefusal("dev", "prod")!, /confirmation 'prod' is not the stack name 'dev'/);
    assert.match(destroyRefusal("prod", "")!, /confirmation '' is not the stack name 'prod'/);
  });

  test("prod is refused while its config has protect: true", () => {
    assert.match(destroyRefusal("prod", "prod")!, /stack 'prod' is protected .*set protect to "false" in a reviewed pull request/);
  });

  test("prod may be destroyed once protect is turned off", () => {
    const dir = tempDir("destroy-guard-");
    const prod = readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8");
    assert.match(prod, /websocket-monitoring:protect: "true"/);
    writeFileSync(path.join(dir, "Pulumi.prod.yaml"), prod.replace('protect: "true"', 'protect: "false"'));
    assert.equal(destroyRefusal("prod", "prod", dir), undefined);
  });

  test("an unknown stack is refused", () => {
    assert.match(destroyRefusal("qa", "qa")!, /unknown stack 'qa'/);
  });
});
