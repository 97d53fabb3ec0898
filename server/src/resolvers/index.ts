import type { Resolvers } from '../generated/resolvers-types.js';
import { deliveryFields, deliveryMutations, deliveryQueries } from './deliveries.js';
import { eventMutations, eventQueries } from './events.js';
import { DateTimeScalar, JSONScalar, UUIDScalar } from './scalars.js';
import { webhookFields, webhookMutations, webhookQueries } from './webhooks.js';

/** Every resolver of schema/schema.graphql. */
export const resolvers: Resolvers = {
  UUID: UUIDScalar,
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  SignatureAlgorithm: { SHA256: 'sha256', SHA512: 'sha512' },
  DeliveryStatus: { PENDING: 'pending', SUCCESS: 'success', FAILED: 'failed', RETRYING: 'retrying' },
  Query: { ...webhookQueries, ...deliveryQueries, ...eventQueries },
  Mutation: { ...webhookMutations, ...deliveryMutations, ...eventMutations },
  Webhook: webhookFields,
  Delivery: deliveryFields,
};
