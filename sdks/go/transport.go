package hookline

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	mathrand "math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/Khan/genqlient/graphql"
)

// maxResponseBytes bounds how much of a response the client reads.
const maxResponseBytes = 32 << 20

// transport is the graphql.Client the generated operations call: one
// MakeRequest is one SDK call, with its retries, token refreshes and waits.
type transport struct {
	url    string
	cfg    config
	ua     string
	tokens *tokenCache
}

var _ graphql.Client = (*transport)(nil)

// attemptError is a failed attempt with what the retry loop needs beyond it.
type attemptError struct {
	err        *Error
	retryAfter time.Duration
	hasRetry   bool // a Retry-After header was present
}

func (t *transport) MakeRequest(ctx context.Context, req *graphql.Request, resp *graphql.Response) error {
	body, err := encodeRequest(req)
	if err != nil {
		return &Error{Kind: KindValidation, Message: "encode request: " + err.Error(), Err: err}
	}
	mutation := isMutation(req.Query)
	key := callOptionsFrom(ctx).idempotencyKey
	if mutation && key == "" && t.cfg.idempotentMutations {
		key = newUUID()
	}
	mayRetry := !mutation || key != ""

	replayed := false
	for attempt := 0; ; attempt++ {
		token, terr := t.tokens.token(ctx)
		if terr != nil {
			return t.abort(ctx, terr)
		}
		data, aerr := t.attempt(ctx, req.OpName, body, token, key, attempt)
		if aerr == nil {
			if err := json.Unmarshal(data, resp.Data); err != nil {
				return &Error{Kind: KindServer, Message: "decode response data: " + err.Error(), Err: err}
			}
			return nil
		}
		e := aerr.err
		if e.PartialData != nil && resp.Data != nil {
			_ = json.Unmarshal(e.PartialData, resp.Data)
		}
		if ctx.Err() != nil {
			return t.abort(ctx, e)
		}
		if e.Kind == KindAuthentication && t.tokens.refreshable() && !replayed {
			// One forced refresh and replay, outside the retry budget.
			replayed = true
			if _, rerr := t.tokens.invalidate(ctx, token); rerr != nil {
				return t.abort(ctx, rerr)
			}
			attempt--
			t.log(ctx, slog.LevelWarn, "hookline: token rejected, refreshing and replaying", req.OpName, e)
			continue
		}
		if !mayRetry || attempt >= t.cfg.maxRetries || !e.retryable() {
			return e
		}
		delay := t.backoff(attempt + 1)
		if aerr.hasRetry {
			if aerr.retryAfter > t.cfg.maxRetryAfter {
				return e
			}
			delay = aerr.retryAfter
		}
		if deadline, ok := ctx.Deadline(); ok && time.Now().Add(delay).After(deadline) {
			// Waiting would outlive the call's deadline: give up now.
			return &Error{Kind: KindTimeout, RequestID: e.RequestID, Err: context.DeadlineExceeded,
				Message: "the context's deadline passes before the next retry; last attempt: " + e.Error()}
		}
		t.log(ctx, slog.LevelWarn, "hookline: retrying", req.OpName, e,
			slog.Int("retry", attempt+1), slog.Duration("delay", delay))
		if err := sleep(ctx, delay); err != nil {
			return t.abort(ctx, e)
		}
	}
}

// abort turns err into the error a call returns once its context is done:
// a deadline is a TimeoutError, a cancellation a NetworkError wrapping
// context.Canceled. Before that, err is returned as it is.
func (t *transport) abort(ctx context.Context, err error) error {
	cerr := ctx.Err()
	if cerr == nil {
		return err
	}
	var reqID string
	if last, ok := err.(*Error); ok {
		reqID = last.RequestID
	}
	if errors.Is(cerr, context.DeadlineExceeded) {
		return &Error{Kind: KindTimeout, RequestID: reqID, Message: "the context's deadline passed", Err: cerr}
	}
	return &Error{Kind: KindNetwork, RequestID: reqID, Message: "the context was canceled", Err: cerr}
}

func (t *transport) attempt(ctx context.Context, op string, body []byte, token, key string, n int) (json.RawMessage, *attemptError) {
	actx, cancel := context.WithTimeout(ctx, t.cfg.timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(actx, http.MethodPost, t.url, bytes.NewReader(body))
	if err != nil {
		return nil, &attemptError{err: &Error{Kind: KindValidation, Message: "build request: " + err.Error(), Err: err}}
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/graphql-response+json, application/json")
	hreq.Header.Set("User-Agent", t.ua)
	if token != "" {
		hreq.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		hreq.Header.Set("Idempotency-Key", key)
	}

	start := time.Now()
	hresp, err := t.cfg.httpClient.Do(hreq)
	if err != nil {
		return nil, &attemptError{err: t.transportError(ctx, actx, err)}
	}
	defer hresp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(hresp.Body, maxResponseBytes))
	reqID := hresp.Header.Get("X-Request-Id")
	if t.cfg.logger != nil {
		t.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "hookline: response",
			slog.String("operation", op), slog.Int("attempt", n+1),
			slog.Int("status", hresp.StatusCode), slog.String("requestId", reqID),
			slog.Duration("duration", time.Since(start)),
			slog.Any("requestHeaders", redactHeaders(hreq.Header)))
	}
	if err != nil {
		e := t.transportError(ctx, actx, err)
		e.StatusCode, e.RequestID = hresp.StatusCode, reqID
		return nil, &attemptError{err: e}
	}

	var envelope struct {
		Data   json.RawMessage `json:"data"`
		Errors []GraphQLError  `json:"errors"`
	}
	jsonErr := json.Unmarshal(raw, &envelope)
	ok := hresp.StatusCode >= 200 && hresp.StatusCode < 300
	if ok && jsonErr == nil && len(envelope.Errors) == 0 {
		if len(envelope.Data) == 0 || string(envelope.Data) == "null" {
			return nil, &attemptError{err: &Error{Kind: KindServer, StatusCode: hresp.StatusCode, RequestID: reqID,
				Message: "the response has neither data nor errors"}}
		}
		return envelope.Data, nil
	}

	e := &Error{StatusCode: hresp.StatusCode, RequestID: reqID}
	switch {
	case len(envelope.Errors) > 0:
		e.GraphQLErrors = envelope.Errors
		e.Code = envelope.Errors[0].Code()
		e.Message = envelope.Errors[0].Message
		if len(envelope.Data) > 0 && string(envelope.Data) != "null" {
			e.PartialData = envelope.Data
		}
	case ok:
		e.Message = "the response is not GraphQL JSON"
		e.Err = jsonErr
	default:
		e.Message = http.StatusText(hresp.StatusCode)
	}
	if !ok && e.Message == "" {
		e.Message = "HTTP " + strconv.Itoa(hresp.StatusCode)
	}
	e.Kind = classify(e.Code, hresp.StatusCode)
	if ok && len(envelope.Errors) == 0 {
		e.Kind = KindServer
	}
	ae := &attemptError{err: e}
	if v := hresp.Header.Get("Retry-After"); v != "" {
		if d, ok := parseRetryAfter(v, time.Now()); ok {
			ae.retryAfter, ae.hasRetry = d, true
			if e.Kind == KindRateLimit {
				e.RetryAfter = d
			}
		}
	}
	return nil, ae
}

// transportError classifies an error of Do or of reading the body.
func (t *transport) transportError(ctx, actx context.Context, err error) *Error {
	if ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		return &Error{Kind: KindTimeout, Message: fmt.Sprintf("the attempt took longer than %s", t.cfg.timeout), Err: err}
	}
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) && ne.Timeout() {
		return &Error{Kind: KindTimeout, Message: err.Error(), Err: err}
	}
	return &Error{Kind: KindNetwork, Message: err.Error(), Err: err}
}

// backoff is initial*2^(n-1) with ±25% jitter, capped at the maximum.
func (t *transport) backoff(n int) time.Duration {
	d := float64(t.cfg.initialRetryDelay) * math.Pow(2, float64(n-1))
	d *= 0.75 + 0.5*mathrand.Float64()
	if max := float64(t.cfg.maxRetryDelay); d > max {
		d = max
	}
	return time.Duration(d)
}

func (t *transport) log(ctx context.Context, level slog.Level, msg, op string, e *Error, attrs ...slog.Attr) {
	if t.cfg.logger == nil {
		return
	}
	attrs = append(attrs, slog.String("operation", op), slog.String("class", e.Kind.String()),
		slog.String("code", e.Code), slog.Int("status", e.StatusCode), slog.String("requestId", e.RequestID))
	t.cfg.logger.LogAttrs(ctx, level, msg, attrs...)
}

// sleep waits d or until ctx is done, stopping its timer either way.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// parseRetryAfter reads delta-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 || math.IsNaN(secs) || math.IsInf(secs, 0) {
			return 0, false
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if at, err := http.ParseTime(v); err == nil {
		d := at.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// redactHeaders copies h for logging with credentials replaced.
func redactHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		switch strings.ToLower(k) {
		case "authorization", "cookie", "webhook-signature":
			out[k] = "[REDACTED]"
		default:
			out[k] = strings.Join(v, ", ")
		}
	}
	return out
}

// encodeRequest builds the POST body. Variables left nil are left out rather
// than sent as null, so the schema's argument defaults apply.
func encodeRequest(req *graphql.Request) ([]byte, error) {
	vars := map[string]json.RawMessage{}
	if req.Variables != nil {
		raw, err := json.Marshal(req.Variables)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &vars); err != nil {
			return nil, err
		}
		for k, v := range vars {
			if string(v) == "null" {
				delete(vars, k)
			}
		}
	}
	return json.Marshal(struct {
		Query         string                     `json:"query"`
		OperationName string                     `json:"operationName"`
		Variables     map[string]json.RawMessage `json:"variables"`
	}{req.Query, req.OpName, vars})
}

// isMutation reports whether a document's operation is a mutation.
func isMutation(query string) bool {
	for _, line := range strings.Split(query, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		return strings.HasPrefix(line, "mutation")
	}
	return false
}

// newUUID returns a random RFC 4122 version 4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}
