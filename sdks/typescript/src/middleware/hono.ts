import type { MiddlewareHandler } from "hono";
import { isRequestFault, rejection, type WebhookMiddlewareOptions, webhookFrom } from "./shared.js";

/** Context variables the middleware sets: `c.get("webhook")` is the verified payload. */
export type HooklineWebhookEnv = { Variables: { webhook: unknown } };

/**
 * Hono middleware: reads the raw body, verifies the webhook, stores the payload
 * as `c.get("webhook")`, and answers 401 with `{ error, reason }` on failure.
 * Works wherever Hono runs (Node, Bun, Deno, Workers).
 *
 * @example
 * ```ts
 * app.post("/webhooks", hooklineWebhook({ secret }), (c) => { handle(c.get("webhook")); return c.body(null, 204); });
 * ```
 */
export function hooklineWebhook(options: WebhookMiddlewareOptions): MiddlewareHandler<HooklineWebhookEnv> {
  const webhook = webhookFrom(options);
  return async (c, next) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    try {
      c.set("webhook", await webhook.verify(raw, c.req.raw.headers));
    } catch (error) {
      if (isRequestFault(error)) return c.json(rejection(error), 401);
      throw error;
    }
    await next();
  };
}
