import type { Webhook } from "../verify/index.js";
import { isRequestFault, rejection, type WebhookMiddlewareOptions, webhookFrom } from "./shared.js";

/**
 * Verifies a fetch `Request` (reading its body) and returns the parsed payload.
 *
 * @throws WebhookVerificationError - with a `reason`
 */
export async function verifyRequest<T = unknown>(webhook: Webhook, request: Request): Promise<T> {
  const raw = new Uint8Array(await request.arrayBuffer());
  return webhook.verify<T>(raw, request.headers);
}

/**
 * Wraps a fetch handler (Next.js route handlers, Deno, Bun, Cloudflare Workers)
 * so it runs only for verified webhooks; failures get 401 with `{ error, reason }`.
 *
 * @example
 * ```ts
 * export const POST = withWebhook({ secret: process.env.HOOKLINE_WEBHOOK_SECRET! }, async (event) => {
 *   await handle(event);
 *   return new Response(null, { status: 204 });
 * });
 * ```
 */
export function withWebhook<T = unknown>(
  options: WebhookMiddlewareOptions,
  handler: (payload: T, request: Request) => Response | Promise<Response>,
): (request: Request) => Promise<Response> {
  const webhook = webhookFrom(options);
  return async (request) => {
    let payload: T;
    try {
      payload = await verifyRequest<T>(webhook, request);
    } catch (error) {
      if (isRequestFault(error)) return Response.json(rejection(error), { status: 401 });
      throw error;
    }
    return handler(payload, request);
  };
}
