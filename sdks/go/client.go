package hookline

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"
)

// Default client settings (SPEC section 6).
const (
	DefaultMaxRetries        = 2
	DefaultInitialRetryDelay = 500 * time.Millisecond
	DefaultMaxRetryDelay     = 8 * time.Second
	DefaultMaxRetryAfter     = 60 * time.Second
	DefaultTimeout           = 30 * time.Second
)

// Client calls the Hookline GraphQL API. It is safe for concurrent use; build
// one and share it.
type Client struct {
	// Webhooks manages endpoints, their secrets, subscriptions and statistics.
	Webhooks *WebhooksService
	// Events lists event types, triggers events and sends test events.
	Events *EventsService
	// Deliveries reads delivery history and retries failed deliveries.
	Deliveries *DeliveriesService

	t *transport
}

// Option configures a Client.
type Option func(*config)

type config struct {
	token               string
	tokenSource         TokenSource
	maxRetries          int
	initialRetryDelay   time.Duration
	maxRetryDelay       time.Duration
	maxRetryAfter       time.Duration
	timeout             time.Duration
	httpClient          *http.Client
	logger              *slog.Logger
	userAgent           string
	idempotentMutations bool
}

// WithToken sends a static bearer token.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithTokenSource fetches bearer tokens from src, caching each until shortly
// before it expires. Concurrent calls share one refresh. A 401 forces one
// refresh and replays the request once, outside the retry budget.
func WithTokenSource(src TokenSource) Option { return func(c *config) { c.tokenSource = src } }

// WithMaxRetries sets how many times a failed call is retried (default 2; 0
// disables retries).
func WithMaxRetries(n int) Option {
	return func(c *config) {
		if n >= 0 {
			c.maxRetries = n
		}
	}
}

// WithRetryDelays sets the backoff: the n-th retry waits initial*2^(n-1),
// ±25% jitter, at most max (defaults 500ms and 8s).
func WithRetryDelays(initial, max time.Duration) Option {
	return func(c *config) {
		if initial > 0 {
			c.initialRetryDelay = initial
		}
		if max > 0 {
			c.maxRetryDelay = max
		}
	}
}

// WithMaxRetryAfter caps how long the client waits for a server's Retry-After
// (default 60s); a longer Retry-After returns the error at once.
func WithMaxRetryAfter(d time.Duration) Option { return func(c *config) { c.maxRetryAfter = d } }

// WithTimeout bounds each attempt (default 30s). The overall deadline of a
// call, retries and waits included, is its context's.
func WithTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// WithHTTPClient sends requests through hc (for proxies, custom TLS or
// instrumentation). Prefer the context and WithTimeout over hc.Timeout.
func WithHTTPClient(hc *http.Client) Option { return func(c *config) { c.httpClient = hc } }

// WithLogger logs each attempt and retry to logger (at Debug and Warn).
// Authorization headers and secrets are never logged. Without it the client
// logs to stderr only when HOOKLINE_LOG is "debug", "info" or "warn".
func WithLogger(logger *slog.Logger) Option { return func(c *config) { c.logger = logger } }

// WithUserAgent prefixes the User-Agent header with ua.
func WithUserAgent(ua string) Option { return func(c *config) { c.userAgent = ua } }

// WithIdempotentMutations controls whether mutations carry a generated
// Idempotency-Key (default true). Without one a mutation is never retried.
func WithIdempotentMutations(on bool) Option { return func(c *config) { c.idempotentMutations = on } }

// NewClient returns a client for the GraphQL endpoint at baseURL, e.g.
// "https://hookline.example.com/graphql".
func NewClient(baseURL string, opts ...Option) *Client {
	cfg := config{
		maxRetries:          DefaultMaxRetries,
		initialRetryDelay:   DefaultInitialRetryDelay,
		maxRetryDelay:       DefaultMaxRetryDelay,
		maxRetryAfter:       DefaultMaxRetryAfter,
		timeout:             DefaultTimeout,
		idempotentMutations: true,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.httpClient == nil {
		cfg.httpClient = &http.Client{}
	}
	if cfg.logger == nil {
		cfg.logger = loggerFromEnv()
	}
	ua := "hookline-go/" + Version()
	if cfg.userAgent != "" {
		ua = cfg.userAgent + " " + ua
	}
	t := &transport{
		url:    baseURL,
		cfg:    cfg,
		ua:     ua,
		tokens: newTokenCache(cfg.token, cfg.tokenSource),
	}
	return &Client{
		Webhooks:   &WebhooksService{t: t},
		Events:     &EventsService{t: t},
		Deliveries: &DeliveriesService{t: t},
		t:          t,
	}
}

func loggerFromEnv() *slog.Logger {
	var level slog.Level
	switch strings.ToLower(os.Getenv("HOOKLINE_LOG")) {
	case "debug":
		level = slog.LevelDebug
	case "info":
		level = slog.LevelInfo
	case "warn", "warning":
		level = slog.LevelWarn
	default:
		return nil
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// CallOption configures one call.
type CallOption func(*callConfig)

type callConfig struct {
	idempotencyKey string
}

// WithIdempotencyKey sends key as the mutation's Idempotency-Key instead of a
// generated one, so a call repeated by your own code is applied once.
func WithIdempotencyKey(key string) CallOption {
	return func(c *callConfig) { c.idempotencyKey = key }
}

type callConfigKey struct{}

// withCallOptions carries per-call options through the generated code, which
// only passes the context on to the transport.
func withCallOptions(ctx context.Context, opts []CallOption) context.Context {
	if len(opts) == 0 {
		return ctx
	}
	var cc callConfig
	for _, o := range opts {
		o(&cc)
	}
	return context.WithValue(ctx, callConfigKey{}, cc)
}

func callOptionsFrom(ctx context.Context) callConfig {
	cc, _ := ctx.Value(callConfigKey{}).(callConfig)
	return cc
}

// Ptr returns a pointer to v, for the optional fields of params structs:
// hookline.Ptr(5), hookline.Ptr(false).
func Ptr[T any](v T) *T { return &v }
