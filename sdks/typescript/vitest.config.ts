import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // package.json "imports" points at dist/; tests run the sources (node:crypto engine on Node).
    alias: { "#crypto-engine": fileURLToPath(new URL("./src/verify/engine-node.ts", import.meta.url)) },
  },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 20_000,
    pool: "threads",
    maxWorkers: 2,
  },
});
