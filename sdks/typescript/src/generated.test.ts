import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate } from "@graphql-codegen/cli";
import { afterAll, describe, expect, it } from "vitest";
import config from "../codegen.js";

// Regenerates into a temp dir with the committed config and fails when the
// committed src/generated/ differs: run `npm run generate -w @hookline/sdk`.
const out = mkdtempSync(join(tmpdir(), "hookline-codegen-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("src/generated", () => {
  it("is up to date with schema/ and schema/operations/", async () => {
    const root = new URL("..", import.meta.url).pathname;
    const generates = Object.fromEntries(
      Object.entries(config.generates).map(([path, target]) => [join(out, path), target]),
    );
    await generate({ ...config, generates, silent: true }, true);
    for (const path of Object.keys(config.generates)) {
      const fresh = readFileSync(join(out, path), "utf8");
      const committed = readFileSync(join(root, path), "utf8");
      expect(committed, `${path} is stale: run npm run generate -w @hookline/sdk`).toBe(fresh);
    }
  }, 60_000);
});
