export { Hookline, type HooklineOptions } from "./client.js";
export {
  AuthenticationError,
  type GraphQLErrorEntry,
  HooklineError,
  type HooklineErrorClassName,
  type HooklineErrorOptions,
  isHooklineError,
  NetworkError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type RateLimitErrorOptions,
  ServerError,
  TimeoutError,
  ValidationError,
} from "./errors.js";
export type { LogEntry, Logger } from "./logger.js";
export type { Connection } from "./pagination.js";
export type { Deliveries, ListDeliveriesParams } from "./resources/deliveries.js";
export type { Events, TriggerEventParams } from "./resources/events.js";
export type { ListWebhooksParams, Webhooks } from "./resources/webhooks.js";
export type { ProvidedToken, TokenProvider } from "./token.js";
export type { RequestOptions } from "./transport.js";
export type * from "./types.js";
