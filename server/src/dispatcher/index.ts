/**
 * The dispatcher: claims due deliveries from PostgreSQL, signs and POSTs them,
 * and records the outcome. See SPEC sections 4 and 5.
 */
export { createDispatcher } from './dispatcher.js';
export type {
  Dispatcher,
  DispatcherDatabase,
  DispatcherLogger,
  DispatcherOptions,
  LookupAll,
} from './types.js';
