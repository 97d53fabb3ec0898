import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    verify: "src/verify/index.ts",
    express: "src/middleware/express.ts",
    fastify: "src/middleware/fastify.ts",
    hono: "src/middleware/hono.ts",
    fetch: "src/middleware/fetch.ts",
    "engine-node": "src/verify/engine-node.ts",
    "engine-web": "src/verify/engine-web.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  target: "node20",
  platform: "neutral",
  // Chosen per runtime through package.json "imports" (node:crypto vs Web Crypto).
  external: ["#crypto-engine", /^node:/, "ky", "graphql-request", "graphql"],
  sourcemap: true,
  clean: true,
  treeshake: true,
});
