import * as G from "../generated/graphql.js";
import { paginate } from "../pagination.js";
import type { RequestOptions, Transport } from "../transport.js";
import type { Delivery, DeliveryConnection, DeliveryStatus, DeliveryWithAttempts } from "../types.js";

/** Filters of `deliveries.list`. */
export interface ListDeliveriesParams {
  /** Only this webhook's deliveries. */
  webhookId?: string;
  /** Only deliveries in this state. */
  status?: DeliveryStatus;
  /** Only this event type. */
  eventType?: string;
  /** Page size (server default 20). */
  first?: number;
  /** Cursor: `pageInfo.endCursor` of the previous page. */
  after?: string;
}

/** Delivery history, manual retries and the service role's retry queue. */
export class Deliveries {
  /** @internal */
  constructor(private readonly transport: Transport) {}

  /** One page of the caller's deliveries, newest first. */
  async list(params: ListDeliveriesParams = {}, options?: RequestOptions): Promise<DeliveryConnection> {
    return (await this.transport.request(G.ListDeliveriesDocument, params, options)).deliveries;
  }

  /** Every matching delivery, fetching pages of `pageSize` as the loop advances. */
  listAll(
    params: Omit<ListDeliveriesParams, "first" | "after"> & { pageSize?: number } = {},
    options?: RequestOptions,
  ): AsyncGenerator<Delivery, void, undefined> {
    const { pageSize, ...filters } = params;
    return paginate((after) => this.list({ ...filters, first: pageSize, after }, options));
  }

  /** One delivery with its attempt history. */
  async get(id: string, options?: RequestOptions): Promise<DeliveryWithAttempts> {
    return (await this.transport.request(G.GetDeliveryDocument, { id }, options)).delivery;
  }

  /** Queues one more attempt of a failed delivery. */
  async retry(deliveryId: string, options?: RequestOptions): Promise<Delivery> {
    return (await this.transport.request(G.RetryFailedDeliveryDocument, { deliveryId }, options)).retryFailedDelivery;
  }

  /** Deliveries due for an attempt, oldest due first. Requires the service role. */
  async pendingRetries(params: { limit?: number } = {}, options?: RequestOptions): Promise<Delivery[]> {
    return (await this.transport.request(G.ListPendingWebhookRetriesDocument, params, options)).pendingWebhookRetries;
  }
}
