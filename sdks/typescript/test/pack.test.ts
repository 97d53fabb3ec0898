/**
 * SLOW (about 10-30 s; needs the npm registry or a warm npm cache): packs the
 * built SDK with `npm pack`, installs the tarball into a temporary project
 * outside the workspace exactly as a consumer would, then from ESM and CJS
 * calls a local GraphQL stub through the client and verifies a signature, and
 * type-checks an import through the exports map. Skip with HOOKLINE_SKIP_PACK_TEST=1.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const sdkDir = new URL("..", import.meta.url).pathname;
const tsc = new URL("../../../node_modules/typescript/bin/tsc", import.meta.url).pathname;
const skip = process.env.HOOKLINE_SKIP_PACK_TEST === "1";

describe.skipIf(skip)("npm pack, installed outside the workspace (slow)", () => {
  let dir: string;
  let server: Server;
  let url: string;
  const seen: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(sdkDir, "dist/index.js"))) throw new Error("build the SDK first: npm run build -w @hookline/sdk");
    dir = mkdtempSync(join(tmpdir(), "hookline-pack-"));
    // dist/ is built by turbo before the tests; --ignore-scripts keeps prepack's build output out of the JSON.
    const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], { cwd: sdkDir, encoding: "utf8" });
    const [{ filename, files }] = JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>;
    expect(files.some((f) => f.path.includes(".test."))).toBe(false);
    expect(files.some((f) => f.path.startsWith("src/"))).toBe(false);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", join(dir, filename)], {
      cwd: dir,
      stdio: ["ignore", "ignore", "inherit"],
    });
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen.push(`${req.headers.authorization} ${JSON.parse(body).operationName}`);
        res.setHeader("content-type", "application/json");
        res.setHeader("x-request-id", "req_pack");
        res.end(JSON.stringify({ data: { eventTypes: [{ eventType: "credit.added", category: "credit", description: null, payloadSchema: null, isEnabled: true }] } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  }, 180_000);

  afterAll(() => {
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const program = (kind: "esm" | "cjs") => {
    const imports =
      kind === "esm"
        ? `import { Hookline } from "@hookline/sdk"; import { Webhook } from "@hookline/sdk/verify"; import { withWebhook } from "@hookline/sdk/fetch";`
        : `const { Hookline } = require("@hookline/sdk"); const { Webhook } = require("@hookline/sdk/verify"); const { withWebhook } = require("@hookline/sdk/fetch");`;
    return `${imports}
const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
(async () => {
  const types = await new Hookline({ baseUrl: process.argv[2], token: "tok-${kind}" }).events.listTypes();
  const wh = new Webhook(secret, { now: () => 1614265330 * 1000 });
  const payload = await wh.verify('{"test": 2432232314}', { "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330", "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" });
  const handler = withWebhook({ secret }, () => new Response(null, { status: 204 }));
  const rejected = (await handler(new Request("http://x", { method: "POST", body: "{}" }))).status;
  console.log(JSON.stringify({ types: types.map((t) => t.eventType), payload, rejected }));
})();`;
  };

  const e2eProgram = (kind: "esm" | "cjs") => {
    const imports =
      kind === "esm"
        ? `import { createServer } from "node:http"; import { Hookline, isHooklineError } from "@hookline/sdk"; import { withWebhook } from "@hookline/sdk/fetch";`
        : `const { createServer } = require("node:http"); const { Hookline, isHooklineError } = require("@hookline/sdk"); const { withWebhook } = require("@hookline/sdk/fetch");`;
    return `${imports}
const [apiUrl, userToken, serviceToken, userId] = process.argv.slice(2);
(async () => {
  let handler = null;
  let resolveReceived;
  const received = new Promise((r) => (resolveReceived = r));
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const response = await handler(new Request("http://127.0.0.1" + req.url, { method: req.method, headers: req.headers, body: Buffer.concat(chunks) }));
    res.writeHead(response.status).end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const user = new Hookline({ baseUrl: apiUrl, token: userToken });
  const service = new Hookline({ baseUrl: apiUrl, token: serviceToken });
  const { webhook, secret } = await user.webhooks.create({ name: "pack ${kind}", url: "http://127.0.0.1:" + server.address().port + "/hook", eventTypes: ["credit.added"], retryDelaySeconds: 1 });
  handler = withWebhook({ secret }, async (event, request) => {
    resolveReceived({ webhookId: request.headers.get("webhook-id"), type: event.type, data: event.data });
    return new Response(null, { status: 204 });
  });
  const triggered = await service.events.trigger({ eventType: "credit.added", payload: { amount: 5, via: "${kind}" }, userId });
  const notFound = await user.webhooks.get("00000000-0000-4000-8000-000000000000").catch((e) => (isHooklineError(e) ? e.name : String(e)));
  const event = await Promise.race([received, new Promise((_, rej) => setTimeout(() => rej(new Error("no delivery within 30 s")), 30000))]);
  server.close();
  console.log(JSON.stringify({ received: event, deliveryId: triggered.deliveries[0].id, webhookId: webhook.id, notFound }));
})().catch((e) => { console.error(e); process.exit(1); });`;
  };

  it.each(["esm", "cjs"] as const)("works from %s", async (kind) => {
    const file = join(dir, kind === "esm" ? "main.mjs" : "main.cjs");
    writeFileSync(file, program(kind));
    // Asynchronous: the GraphQL stub runs in this process and must keep answering.
    const { stdout } = await promisify(execFile)(process.execPath, [file, url], { cwd: dir, encoding: "utf8" });
    const out = JSON.parse(stdout);
    expect(out).toEqual({ types: ["credit.added"], payload: { test: 2432232314 }, rejected: 401 });
    expect(seen).toContain(`Bearer tok-${kind} ListEventTypes`);
  });

  // Against the real API server (embedded PGlite, its own data dir): create a
  // webhook pointing at a receiver in the consumer project, trigger an event as
  // the service role, and receive it through the packed fetch middleware.
  const serverCli = new URL("../../../server/dist/cli.js", import.meta.url).pathname;
  it.skipIf(!existsSync(serverCli))("calls the real server and verifies its delivery, from ESM and CJS (needs server/dist)", async () => {
    const data = mkdtempSync(join(tmpdir(), "hookline-pack-server-"));
    const env = {
      ...process.env,
      PORT: "0",
      HOOKLINE_DATA_DIR: data,
      HOOKLINE_JWT_SECRET: "pack-test-secret-0123456789abcdef0123456789",
      HOOKLINE_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8",
      HOOKLINE_LOG_LEVEL: "info",
    };
    const child = spawn(process.execPath, [serverCli, "serve"], { env, stdio: ["ignore", "pipe", "inherit"] });
    try {
      const apiUrl = await new Promise<string>((resolve, reject) => {
        let buf = "";
        child.stdout!.on("data", (c: Buffer) => {
          buf += c.toString();
          const m = /"url":"(http:\/\/127\.0\.0\.1:\d+\/graphql)"/.exec(buf);
          if (m) resolve(m[1]!);
        });
        child.once("exit", (code) => reject(new Error(`server exited (${code}) before listening`)));
        setTimeout(() => reject(new Error("server did not start within 90 s")), 90_000);
      });
      const mint = async (...args: string[]) =>
        (await promisify(execFile)(process.execPath, [serverCli, "token", ...args], { env, encoding: "utf8" })).stdout.trim();
      const service = await mint("--service-role");
      for (const kind of ["esm", "cjs"] as const) {
        const userId = randomUUID();
        const user = await mint("--user", userId);
        const file = join(dir, kind === "esm" ? "e2e.mjs" : "e2e.cjs");
        writeFileSync(file, e2eProgram(kind));
        const { stdout } = await promisify(execFile)(process.execPath, [file, apiUrl, user, service, userId], { cwd: dir, encoding: "utf8", timeout: 60_000 });
        const out = JSON.parse(stdout);
        expect(out.received).toMatchObject({ type: "credit.added", data: { amount: 5, via: kind } });
        expect(out.received.webhookId).toBe(out.deliveryId);
        expect(out.notFound).toBe("NotFoundError");
      }
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
      rmSync(data, { recursive: true, force: true });
    }
  }, 150_000);

  it("loads no client code for @hookline/sdk/verify", () => {
    const file = join(dir, "verify-only.cjs");
    writeFileSync(file, `require("@hookline/sdk/verify"); console.log(JSON.stringify(Object.keys(require.cache)));`);
    const loaded = JSON.parse(execFileSync(process.execPath, [file], { cwd: dir, encoding: "utf8" })) as string[];
    expect(loaded.some((p) => /node_modules[\\/](ky|graphql|graphql-request)[\\/]/.test(p))).toBe(false);
    expect(loaded.some((p) => p.endsWith("engine-node.cjs"))).toBe(true);
  });

  it("picks the Web Crypto engine under the worker condition and still verifies", async () => {
    const file = join(dir, "worker-condition.mjs");
    writeFileSync(
      file,
      `import { Webhook } from "@hookline/sdk/verify";\n` +
        `const wh = new Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", { now: () => 1614265330 * 1000 });\n` +
        `const payload = await wh.verify('{"test": 2432232314}', { "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330", "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" });\n` +
        `console.log(JSON.stringify(payload));`,
    );
    const run = async (conditions: string[]) => {
      const { stdout } = await promisify(execFile)(process.execPath, [...conditions, file], { cwd: dir, encoding: "utf8" });
      return stdout.trim();
    };
    expect(await run(["--conditions=worker"])).toBe('{"test":2432232314}');
    // Which engine each condition resolves to, through the package's own "imports" map.
    const probe = join(dir, "node_modules/@hookline/sdk/probe.mjs");
    writeFileSync(probe, `import { engine } from "#crypto-engine"; console.log(engine.name);`);
    const which = async (conditions: string[]) =>
      (await promisify(execFile)(process.execPath, [...conditions, probe], { encoding: "utf8" })).stdout.trim();
    expect(await which([])).toBe("node");
    expect(await which(["--conditions=worker"])).toBe("web");
    expect(await which(["--conditions=deno"])).toBe("web");
    expect(await which(["--conditions=edge-light"])).toBe("web");
    expect(await which(["--conditions=bun"])).toBe("node");
  });

  it("type-checks through the exports map from ESM and CJS consumers", () => {
    writeFileSync(
      join(dir, "check.mts"),
      `import { Hookline, isHooklineError, type Webhook as WebhookModel } from "@hookline/sdk";\nimport { Webhook } from "@hookline/sdk/verify";\n` +
        `const h = new Hookline({ baseUrl: "x", token: "t" });\nexport const p: Promise<WebhookModel> = h.webhooks.get("id");\nexport const w = new Webhook("whsec_AAAA");\nexport const g: boolean = isHooklineError(1);\n`,
    );
    writeFileSync(join(dir, "check.cts"), `import { Webhook } from "@hookline/sdk/verify";\nimport type { HooklineError } from "@hookline/sdk";\nexport const w = new Webhook("whsec_AAAA");\nexport type E = HooklineError["code"];\n`);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "node16", moduleResolution: "node16", strict: true, noEmit: true, skipLibCheck: false, lib: ["ES2022", "DOM"], types: [] }, files: ["check.mts", "check.cts"] }),
    );
    expect(() => execFileSync(process.execPath, [tsc, "-p", dir], { cwd: dir, encoding: "utf8", stdio: "pipe" })).not.toThrow();
  }, 60_000);
});
