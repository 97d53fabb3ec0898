package hookline

import (
	"context"
	"sync"
	"time"
)

// Token is a bearer token and when it stops being valid.
type Token struct {
	// Value is sent as "Authorization: Bearer <Value>".
	Value string
	// ExpiresAt is when the token expires; the zero time means never.
	ExpiresAt time.Time
}

// TokenSource supplies bearer tokens. The client caches the token it returns
// and asks again shortly before ExpiresAt, or after the server rejected it.
// Calls never overlap: concurrent requests share one refresh.
type TokenSource interface {
	Token(ctx context.Context) (Token, error)
}

// TokenSourceFunc adapts a function to TokenSource.
type TokenSourceFunc func(ctx context.Context) (Token, error)

// Token calls f.
func (f TokenSourceFunc) Token(ctx context.Context) (Token, error) { return f(ctx) }

// refreshBefore is how long before expiry a cached token is replaced.
const refreshBefore = 30 * time.Second

// tokenCache holds the current token and runs at most one refresh at a time.
type tokenCache struct {
	static string
	src    TokenSource

	mu       sync.Mutex
	cur      Token
	have     bool
	inflight *refresh
}

type refresh struct {
	done chan struct{}
	tok  Token
	err  error
}

func newTokenCache(static string, src TokenSource) *tokenCache {
	return &tokenCache{static: static, src: src}
}

func (c *tokenCache) refreshable() bool { return c.src != nil }

// token returns the cached token, refreshing it first when it is missing or
// about to expire.
func (c *tokenCache) token(ctx context.Context) (string, error) {
	if c.src == nil {
		return c.static, nil
	}
	c.mu.Lock()
	if c.have && (c.cur.ExpiresAt.IsZero() || time.Until(c.cur.ExpiresAt) > refreshBefore) {
		v := c.cur.Value
		c.mu.Unlock()
		return v, nil
	}
	r := c.startLocked(ctx)
	c.mu.Unlock()
	return c.wait(ctx, r)
}

// invalidate is called after the server rejected token: it refreshes unless
// another caller already replaced that token, and returns the new one.
func (c *tokenCache) invalidate(ctx context.Context, rejected string) (string, error) {
	c.mu.Lock()
	if c.have && c.cur.Value != rejected {
		v := c.cur.Value
		c.mu.Unlock()
		return v, nil
	}
	r := c.startLocked(ctx)
	c.mu.Unlock()
	return c.wait(ctx, r)
}

// startLocked joins the refresh in flight or starts one. The refresh runs
// detached from ctx's cancellation so that one caller giving up does not fail
// the others waiting on it.
func (c *tokenCache) startLocked(ctx context.Context) *refresh {
	if c.inflight != nil {
		return c.inflight
	}
	r := &refresh{done: make(chan struct{})}
	c.inflight = r
	c.have = false
	go func() {
		tok, err := c.src.Token(context.WithoutCancel(ctx))
		c.mu.Lock()
		r.tok, r.err = tok, err
		if err == nil {
			c.cur, c.have = tok, true
		}
		c.inflight = nil
		c.mu.Unlock()
		close(r.done)
	}()
	return r
}

func (c *tokenCache) wait(ctx context.Context, r *refresh) (string, error) {
	select {
	case <-r.done:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	if r.err != nil {
		return "", &Error{Kind: KindAuthentication, Message: "the token source failed: " + r.err.Error(), Err: r.err}
	}
	return r.tok.Value, nil
}
