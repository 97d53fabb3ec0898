/**
 * @hookline/server: the GraphQL API, the dispatcher and their building blocks,
 * for tests, benchmarks and embedding. The `hookline` CLI wraps these.
 */
export { createHooklineServer, startServer } from './server.js';
export type { HooklineServer, HooklineServerOptions, RunningServer, StartServerOptions } from './server.js';
export { createAuthenticator, loadOrCreateDevSecret, mintToken, AuthError } from './auth.js';
export type { Authenticator, AuthenticatorOptions, Claims, KeySource, MintOptions } from './auth.js';
export { loadConfig } from './config.js';
export type { HooklineConfig } from './config.js';
export { openDatabase, authenticatorFor } from './app.js';
export { createLogger, silentLogger, redact } from './logger.js';
export type { Logger, LogLevel, LoggerOptions } from './logger.js';
export { createRateLimiter } from './rate-limit.js';
export type { RateLimiter, RateLimitOptions } from './rate-limit.js';
export { ERROR_STATUS } from './errors.js';
export type { ErrorCode } from './errors.js';
export { createDispatcher } from './dispatcher/index.js';
export type { Dispatcher, DispatcherOptions } from './dispatcher/index.js';
