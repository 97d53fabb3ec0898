import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { isRequestFault, rejection, type WebhookMiddlewareOptions, webhookFrom } from "./shared.js";

/** Options of the {@link hooklineWebhook} Fastify plugin. */
export interface FastifyWebhookOptions extends WebhookMiddlewareOptions {
  /** Route path, e.g. `/webhooks`. */
  path: string;
  /** Called with the verified payload; its return value is the reply (as in any Fastify handler). */
  handler: (payload: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;
  /** Largest body accepted, in bytes. Default 1 MiB. */
  bodyLimit?: number;
}

/**
 * Fastify plugin registering one POST route that verifies webhooks. Inside the
 * plugin's own encapsulated scope it replaces the body parsers with a raw
 * Buffer parser, so the rest of the app keeps parsing JSON. Failures get 401.
 *
 * @example
 * ```ts
 * await app.register(hooklineWebhook, { secret, path: "/webhooks", handler: async (event, req, reply) => reply.code(204).send() });
 * ```
 */
export const hooklineWebhook: FastifyPluginAsync<FastifyWebhookOptions> = async (fastify, options) => {
  const webhook = webhookFrom(options);
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: options.bodyLimit ?? 1024 * 1024 }, (_req, body, done) => {
    done(null, body);
  });
  fastify.post(options.path, async (request, reply) => {
    let payload: unknown;
    try {
      payload = await webhook.verify((request.body as Buffer | undefined) ?? new Uint8Array(0), request.headers);
    } catch (error) {
      if (isRequestFault(error)) return reply.code(401).send(rejection(error));
      throw error;
    }
    return options.handler(payload, request, reply);
  });
};
