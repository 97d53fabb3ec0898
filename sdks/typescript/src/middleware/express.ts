import type { IncomingMessage, ServerResponse } from "node:http";
import { isRequestFault, rejection, type WebhookMiddlewareOptions, webhookFrom } from "./shared.js";

/** Options of {@link webhookMiddleware}. */
export interface ExpressWebhookOptions extends WebhookMiddlewareOptions {
  /** Largest body read, in bytes; larger requests are answered 413. Default 1 MiB. */
  maxBodyBytes?: number;
}

/** The request as the middleware leaves it: `body` is the verified payload, `rawBody` the bytes. */
export type VerifiedRequest = IncomingMessage & { body?: unknown; rawBody?: Buffer };

type Next = (error?: unknown) => void;

function readBody(req: VerifiedRequest, limit: number): Promise<Buffer> {
  if (Buffer.isBuffer(req.body)) return Promise.resolve(req.body);
  if (typeof req.body === "string") return Promise.resolve(Buffer.from(req.body));
  if (Buffer.isBuffer(req.rawBody)) return Promise.resolve(req.rawBody);
  if (req.body !== undefined || req.readableEnded) {
    return Promise.reject(
      new Error(
        "Hookline webhookMiddleware must run before express.json() (or any body parser) on its route: " +
          "the signature covers the raw bytes, which a parser has already consumed.",
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(Object.assign(new Error("webhook body too large"), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * Express middleware that reads the raw body itself, verifies the webhook and
 * sets `req.body` to the parsed payload (`req.rawBody` keeps the bytes). Answers
 * 401 with `{ error, reason }` when verification fails. Mount it on the webhook
 * route before any body parser; after `express.raw()` it uses that Buffer.
 *
 * @example
 * ```ts
 * app.post("/webhooks", webhookMiddleware({ secret }), (req, res) => { handle(req.body); res.sendStatus(204); });
 * ```
 */
export function webhookMiddleware(
  options: ExpressWebhookOptions,
): (req: VerifiedRequest, res: ServerResponse, next: Next) => void {
  const webhook = webhookFrom(options);
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  return (req, res, next) => {
    readBody(req, limit)
      .then(async (raw) => {
        req.rawBody = raw;
        req.body = await webhook.verify(raw, req.headers);
        next();
      })
      .catch((error: unknown) => {
        if (isRequestFault(error)) {
          res.statusCode = 401;
          res.setHeader("content-type", "application/json");
          res.end(JSON.stringify(rejection(error)));
        } else if ((error as { status?: number }).status === 413) {
          res.statusCode = 413;
          res.end();
        } else {
          next(error);
        }
      });
  };
}
