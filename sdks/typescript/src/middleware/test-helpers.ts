import { Webhook } from "../verify/index.js";

/** A fresh secret and a correctly signed request for the middleware tests. */
export async function signedRequest(payload: unknown = { type: "credit.added", data: { amount: 5 } }) {
  const secret = "whsec_" + Buffer.alloc(32, 3).toString("base64");
  const body = JSON.stringify(payload);
  const headers = {
    ...(await new Webhook(secret).signHeaders("msg_mw", new Date(), body)),
    "content-type": "application/json",
  } as Record<string, string>;
  return { secret, body, headers };
}
