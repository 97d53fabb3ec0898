import * as G from "../generated/graphql.js";
import { paginate } from "../pagination.js";
import type { RequestOptions, Transport } from "../transport.js";
import type {
  CreateWebhookInput,
  CreateWebhookResult,
  DeleteWebhookResult,
  EventSubscription,
  RotateWebhookSecretResult,
  UnsubscribeResult,
  UpdateWebhookInput,
  VerifyWebhookEndpointResult,
  Webhook,
  WebhookConnection,
  WebhookSecret,
  WebhookStatistics,
} from "../types.js";

/** Parameters of `webhooks.list`. */
export interface ListWebhooksParams {
  /** Page size (server default 20). */
  first?: number;
  /** Cursor: `pageInfo.endCursor` of the previous page. */
  after?: string;
}

/** The caller's webhook endpoints: CRUD, secrets, verification, statistics, subscriptions. */
export class Webhooks {
  /** @internal */
  constructor(private readonly transport: Transport) {}

  /** One page of the caller's webhooks, newest first. */
  async list(params: ListWebhooksParams = {}, options?: RequestOptions): Promise<WebhookConnection> {
    return (await this.transport.request(G.ListWebhooksDocument, params, options)).webhooks;
  }

  /** Every webhook of the caller, fetching pages of `pageSize` as the loop advances. */
  listAll(params: { pageSize?: number } = {}, options?: RequestOptions): AsyncGenerator<Webhook, void, undefined> {
    return paginate((after) => this.list({ first: params.pageSize, after }, options));
  }

  /** One webhook; throws NotFoundError when it does not exist or is someone else's. */
  async get(id: string, options?: RequestOptions): Promise<Webhook> {
    return (await this.transport.request(G.GetWebhookDocument, { id }, options)).webhook;
  }

  /** The webhook's signing secret (`whsec_...`). */
  async getSecret(id: string, options?: RequestOptions): Promise<WebhookSecret> {
    return (await this.transport.request(G.GetWebhookSecretDocument, { id }, options)).webhookSecret;
  }

  /** Creates a webhook and, with `eventTypes`, its subscriptions. The result holds the secret. */
  async create(input: CreateWebhookInput, options?: RequestOptions): Promise<CreateWebhookResult> {
    return (await this.transport.request(G.CreateWebhookDocument, { input }, options)).createWebhook;
  }

  /** Changes the given fields of a webhook; fields left out are kept. */
  async update(id: string, input: UpdateWebhookInput, options?: RequestOptions): Promise<Webhook> {
    return (await this.transport.request(G.UpdateWebhookDocument, { id, input }, options)).updateWebhook;
  }

  /** Deletes a webhook with its subscriptions and deliveries. */
  async delete(id: string, options?: RequestOptions): Promise<DeleteWebhookResult> {
    return (await this.transport.request(G.DeleteWebhookDocument, { id }, options)).deleteWebhook;
  }

  /**
   * Issues a new secret. The previous one keeps signing (next to the new one)
   * for `gracePeriodSeconds` (server default 86400).
   */
  async rotateSecret(
    id: string,
    params: { gracePeriodSeconds?: number } = {},
    options?: RequestOptions,
  ): Promise<RotateWebhookSecretResult> {
    return (await this.transport.request(G.RotateWebhookSecretDocument, { id, ...params }, options))
      .rotateWebhookSecret;
  }

  /** Sends a signed `webhook.verification` challenge now; `verified` says whether the endpoint echoed it. */
  async verifyEndpoint(id: string, options?: RequestOptions): Promise<VerifyWebhookEndpointResult> {
    return (await this.transport.request(G.VerifyWebhookEndpointDocument, { id }, options)).verifyWebhookEndpoint;
  }

  /** Delivery statistics over the last `days` days (server default 30). */
  async statistics(webhookId: string, params: { days?: number } = {}, options?: RequestOptions): Promise<WebhookStatistics> {
    return (await this.transport.request(G.GetWebhookStatisticsDocument, { webhookId, ...params }, options))
      .webhookStatistics;
  }

  /**
   * Subscribes the webhook to `eventTypes` (re-activating and replacing the
   * filters of existing subscriptions). `filters` is a JSON containment filter.
   */
  async subscribe(
    webhookId: string,
    eventTypes: readonly string[],
    params: { filters?: unknown } = {},
    options?: RequestOptions,
  ): Promise<EventSubscription[]> {
    return (
      await this.transport.request(
        G.SubscribeWebhookEventsDocument,
        { webhookId, eventTypes: [...eventTypes], ...params },
        options,
      )
    ).subscribeWebhookEvents;
  }

  /** Removes the webhook's subscriptions to `eventTypes`. */
  async unsubscribe(webhookId: string, eventTypes: readonly string[], options?: RequestOptions): Promise<UnsubscribeResult> {
    return (
      await this.transport.request(G.UnsubscribeWebhookEventsDocument, { webhookId, eventTypes: [...eventTypes] }, options)
    ).unsubscribeWebhookEvents;
  }
}
