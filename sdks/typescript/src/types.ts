import type * as G from "./generated/graphql.js";

/** A webhook endpoint, as every webhook query returns it. Never includes its secret. */
export type Webhook = G.WebhookFieldsFragment;
/** A webhook's subscription to one event type. */
export type EventSubscription = G.EventSubscriptionFieldsFragment;
/** One event sent to one webhook. */
export type Delivery = G.DeliveryFieldsFragment;
/** A delivery with its attempt history, as `deliveries.get` returns it. */
export type DeliveryWithAttempts = G.GetDeliveryQuery["delivery"];
/** One page of webhooks. */
export type WebhookConnection = G.ListWebhooksQuery["webhooks"];
/** One page of deliveries. */
export type DeliveryConnection = G.ListDeliveriesQuery["deliveries"];
/** A webhook's signing secret. */
export type WebhookSecret = G.GetWebhookSecretQuery["webhookSecret"];
/** Result of `webhooks.create`: the webhook, its secret (shown once) and its subscriptions. */
export type CreateWebhookResult = G.CreateWebhookMutation["createWebhook"];
/** Result of `webhooks.delete`. */
export type DeleteWebhookResult = G.DeleteWebhookMutation["deleteWebhook"];
/** Result of `webhooks.rotateSecret`: the new secret and when the previous one stops signing. */
export type RotateWebhookSecretResult = G.RotateWebhookSecretMutation["rotateWebhookSecret"];
/** Result of `webhooks.verifyEndpoint`. */
export type VerifyWebhookEndpointResult = G.VerifyWebhookEndpointMutation["verifyWebhookEndpoint"];
/** Delivery statistics of one webhook. */
export type WebhookStatistics = G.GetWebhookStatisticsQuery["webhookStatistics"];
/** Result of `webhooks.unsubscribe`. */
export type UnsubscribeResult = G.UnsubscribeWebhookEventsMutation["unsubscribeWebhookEvents"];
/** A kind of event, such as `video.generated`. */
export type EventType = G.ListEventTypesQuery["eventTypes"][number];
/** Result of `events.trigger`: the event id and the deliveries it created. */
export type TriggerResult = G.TriggerWebhookEventMutation["triggerWebhookEvent"];
/** Input of `webhooks.create`. */
export type CreateWebhookInput = G.CreateWebhookInput;
/** Input of `webhooks.update`; fields left out are not changed. */
export type UpdateWebhookInput = G.UpdateWebhookInput;
/** `SHA256` (Standard Webhooks `v1`) or `SHA512` (`v1-sha512`). */
export type SignatureAlgorithm = G.SignatureAlgorithm;
/** `PENDING`, `SUCCESS`, `FAILED` or `RETRYING`. */
export type DeliveryStatus = G.DeliveryStatus;
