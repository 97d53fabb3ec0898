package hookline

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// DefaultMaxBodyBytes bounds the body VerifyMiddleware reads (5 MiB).
const DefaultMaxBodyBytes = 5 << 20

// MiddlewareOption configures VerifyMiddleware.
type MiddlewareOption func(*middlewareConfig)

type middlewareConfig struct {
	maxBodyBytes int64
	onError      func(http.ResponseWriter, *http.Request, error)
}

// WithMaxBodyBytes bounds the request body; a larger one is answered 413.
func WithMaxBodyBytes(n int64) MiddlewareOption {
	return func(c *middlewareConfig) { c.maxBodyBytes = n }
}

// WithErrorHandler replaces the default failure response. err is a
// *VerificationError, a *http.MaxBytesError or the body's read error.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) MiddlewareOption {
	return func(c *middlewareConfig) { c.onError = h }
}

// VerifyMiddleware returns net/http middleware that reads the raw body,
// verifies it with wh, and calls next with r.Body restored to the same bytes.
// A delivery that fails verification is answered 401 and never reaches next.
func VerifyMiddleware(wh *Webhook, opts ...MiddlewareOption) func(http.Handler) http.Handler {
	cfg := middlewareConfig{maxBodyBytes: DefaultMaxBodyBytes, onError: writeVerifyError}
	for _, o := range opts {
		o(&cfg)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, cfg.maxBodyBytes))
			if err != nil {
				cfg.onError(w, r, err)
				return
			}
			if err := wh.Verify(body, r.Header); err != nil {
				cfg.onError(w, r, err)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			next.ServeHTTP(w, r)
		})
	}
}

func writeVerifyError(w http.ResponseWriter, _ *http.Request, err error) {
	status, reason := http.StatusBadRequest, "unreadable_body"
	var ve *VerificationError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &ve):
		status, reason = http.StatusUnauthorized, string(ve.Reason)
	case errors.As(err, &tooLarge):
		status, reason = http.StatusRequestEntityTooLarge, "body_too_large"
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": "webhook verification failed", "reason": reason})
}
