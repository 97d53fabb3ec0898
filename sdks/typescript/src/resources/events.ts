import * as G from "../generated/graphql.js";
import type { RequestOptions, Transport } from "../transport.js";
import type { Delivery, EventType, TriggerResult } from "../types.js";

/** Parameters of `events.trigger`. */
export interface TriggerEventParams {
  /** The event type, e.g. `video.generated`. */
  eventType: string;
  /** The event's data; subscriptions whose filters it contains receive it. */
  payload: unknown;
  /** Deliver only to this user's webhooks. */
  userId?: string;
}

/** Event types, triggering (service role) and test events. */
export class Events {
  /** @internal */
  constructor(private readonly transport: Transport) {}

  /** Every event type, enabled or not. */
  async listTypes(options?: RequestOptions): Promise<EventType[]> {
    return (await this.transport.request(G.ListEventTypesDocument, {}, options)).eventTypes;
  }

  /** Fans an event out to every matching subscription. Requires the service role. */
  async trigger(params: TriggerEventParams, options?: RequestOptions): Promise<TriggerResult> {
    return (await this.transport.request(G.TriggerWebhookEventDocument, params, options)).triggerWebhookEvent;
  }

  /** Queues a `webhook.test` delivery to the webhook. */
  async sendTest(webhookId: string, options?: RequestOptions): Promise<Delivery> {
    return (await this.transport.request(G.SendTestEventDocument, { webhookId }, options)).sendTestEvent;
  }
}
