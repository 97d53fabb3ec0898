package hookline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorded is one request the mock server saw.
type recorded struct {
	header http.Header
	body   struct {
		Query         string                     `json:"query"`
		OperationName string                     `json:"operationName"`
		Variables     map[string]json.RawMessage `json:"variables"`
	}
}

// mockServer answers the n-th request (0-based) with respond(n, req) and
// records every request. It is a real HTTP server on loopback.
type mockServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []recorded
}

func newMock(t *testing.T, respond func(n int, w http.ResponseWriter, r *recorded)) *mockServer {
	t.Helper()
	m := &mockServer{}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var rec recorded
		rec.header = r.Header.Clone()
		raw, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(raw, &rec.body); err != nil {
			t.Errorf("request body is not JSON: %v", err)
		}
		m.mu.Lock()
		n := len(m.requests)
		m.requests = append(m.requests, rec)
		m.mu.Unlock()
		respond(n, w, &rec)
	}))
	t.Cleanup(m.Close)
	return m
}

func (m *mockServer) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.requests)
}

func (m *mockServer) request(i int) recorded {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.requests[i]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", "req_"+http.StatusText(status)[:2])
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func gqlError(code, msg string) map[string]any {
	return map[string]any{"errors": []any{map[string]any{"message": msg, "extensions": map[string]any{"code": code}}}}
}

var eventTypesData = map[string]any{"data": map[string]any{"eventTypes": []any{
	map[string]any{"eventType": "video.generated", "category": "video", "description": nil, "payloadSchema": nil, "isEnabled": true},
}}}

// fastRetries keeps retry waits short in tests.
var fastRetries = WithRetryDelays(time.Millisecond, 5*time.Millisecond)

func TestRetryOnServerErrorThenSuccess(t *testing.T) {
	for _, status := range []int{408, 429, 502, 503, 504} {
		m := newMock(t, func(n int, w http.ResponseWriter, _ *recorded) {
			if n == 0 {
				writeJSON(w, status, map[string]any{})
				return
			}
			writeJSON(w, 200, eventTypesData)
		})
		types, err := NewClient(m.URL, fastRetries).Events.ListTypes(context.Background())
		if err != nil {
			t.Fatalf("%d: %v", status, err)
		}
		if len(types) != 1 || types[0].EventType != "video.generated" || m.count() != 2 {
			t.Fatalf("%d: got %+v after %d requests", status, types, m.count())
		}
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 500} {
		m := newMock(t, func(n int, w http.ResponseWriter, _ *recorded) { writeJSON(w, status, map[string]any{}) })
		_, err := NewClient(m.URL, fastRetries).Events.ListTypes(context.Background())
		var e *Error
		if !errors.As(err, &e) || e.StatusCode != status || m.count() != 1 {
			t.Errorf("%d: err %v after %d requests, want one attempt", status, err, m.count())
		}
	}
}

func TestRetriesExhaustedKeepsLastResponse(t *testing.T) {
	m := newMock(t, func(n int, w http.ResponseWriter, _ *recorded) {
		writeJSON(w, 200, gqlError("INTERNAL_SERVER_ERROR", "boom"))
	})
	_, err := NewClient(m.URL, fastRetries, WithMaxRetries(3)).Events.ListTypes(context.Background())
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindServer || e.Code != "INTERNAL_SERVER_ERROR" || e.RequestID != "req_OK" {
		t.Fatalf("got %#v", err)
	}
	if m.count() != 4 {
		t.Fatalf("%d requests, want 1 + 3 retries", m.count())
	}
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestMutationKeepsItsIdempotencyKeyAcrossRetries(t *testing.T) {
	m := newMock(t, func(n int, w http.ResponseWriter, _ *recorded) {
		if n < 2 {
			writeJSON(w, 503, map[string]any{})
			return
		}
		writeJSON(w, 200, map[string]any{"data": map[string]any{"deleteWebhook": map[string]any{"deletedWebhookId": "w1"}}})
	})
	c := NewClient(m.URL, fastRetries)
	res, err := c.Webhooks.Delete(context.Background(), "w1")
	if err != nil || res.DeletedWebhookID != "w1" {
		t.Fatalf("Delete = %+v, %v", res, err)
	}
	key := m.request(0).header.Get("Idempotency-Key")
	if !uuidV4.MatchString(key) {
		t.Fatalf("Idempotency-Key %q is not a UUID v4", key)
	}
	for i := 1; i < m.count(); i++ {
		if got := m.request(i).header.Get("Idempotency-Key"); got != key {
			t.Fatalf("attempt %d sent key %q, want %q", i+1, got, key)
		}
	}
	// A second call gets a key of its own; an explicit key is sent as given.
	_, _ = c.Webhooks.Delete(context.Background(), "w1")
	if got := m.request(3).header.Get("Idempotency-Key"); got == key || !uuidV4.MatchString(got) {
		t.Fatalf("second call reused or mangled the key: %q", got)
	}
	_, _ = c.Webhooks.Delete(context.Background(), "w1", WithIdempotencyKey("mine"))
	if got := m.request(4).header.Get("Idempotency-Key"); got != "mine" {
		t.Fatalf("explicit key sent as %q", got)
	}
}

func TestQueriesCarryNoIdempotencyKey(t *testing.T) {
	m := newMock(t, func(n int, w http.ResponseWriter, _ *recorded) { writeJSON(w, 200, eventTypesData) })
	if _, err := NewClient(m.URL).Events.ListTypes(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := m.request(0).header.Get("Idempotency-Key"); got != "" {
		t.Fatalf("a query sent Idempotency-Key %q", got)
	}
}

func TestMutationWithoutKeyIsNotRetried(t *testing.T) {
	m := newMock(t, func(n int, w http.ResponseWriter, _ *recorded) { writeJSON(w, 503, map[string]any{}) })
	_, err := NewClient(m.URL, fastRetries, WithIdempotentMutations(false)).Webhooks.Delete(context.Background(), "w1")
	if !errors.Is(err, ErrServer) || m.count() != 1 {
		t.Fatalf("err %v after %d requests, want one ServerError", err, m.count())
	}
	if got := m.request(0).header.Get("Idempotency-Key"); got != "" {
		t.Fatalf("sent Idempotency-Key %q with idempotent mutations off", got)
	}
}

func TestRetryAfter(t *testing.T) {
	t.Run("waited when within the cap", func(t *testing.T) {
		var first time.Time
		var waited time.Duration
		m := newMock(t, func(n int, w http.ResponseWriter, _ *recorded) {
			if n == 0 {
				first = time.Now()
				w.Header().Set("Retry-After", "1")
				writeJSON(w, 429, gqlError("RATE_LIMITED", "slow down"))
				return
			}
			waited = time.Since(first)
			writeJSON(w, 200, eventTypesData)
		})
		if _, err := NewClient(m.URL, fastRetries).Events.ListTypes(context.Background()); err != nil {
			t.Fatal(err)
		}
		if waited < 900*time.Millisecond {
			t.Fatalf("retried after %s, before Retry-After's 1s", waited)
		}
	})
	t.Run("beyond the cap raises at once", func(t *testing.T) {
		m := newMock(t, func(n int, w http.ResponseWriter, _ *recorded) {
			w.Header().Set("Retry-After", "120")
			writeJSON(w, 429, gqlError("RATE_LIMITED", "slow down"))
		})
		_, err := NewClient(m.URL, fastRetries, WithMaxRetryAfter(5*time.Second)).Events.ListTypes(context.Background())
		var e *Error
		if !errors.As(err, &e) || e.Kind != KindRateLimit || e.RetryAfter != 120*time.Second || m.count() != 1 {
			t.Fatalf("err %#v after %d requests", err, m.count())
		}
	})
	t.Run("HTTP date", func(t *testing.T) {
		now := time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)
		d, ok := parseRetryAfter(now.Add(3*time.Second).Format(http.TimeFormat), now)
		if !ok || d != 3*time.Second {
			t.Fatalf("parseRetryAfter(date) = %s, %v", d, ok)
		}
		if _, ok := parseRetryAfter("soon", now); ok {
			t.Fatal("parseRetryAfter accepted garbage")
		}
	})
}

func TestBackoffGrowsWithJitterAndCap(t *testing.T) {
	tr := &transport{cfg: config{initialRetryDelay: 100 * time.Millisecond, maxRetryDelay: 300 * time.Millisecond}}
	for n, base := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond} {
		for range 50 {
			d := tr.backoff(n)
			if d < base*3/4 || d > base*5/4 {
				t.Fatalf("backoff(%d) = %s, want %s ±25%%", n, d, base)
			}
		}
	}
	for range 50 {
		if d := tr.backoff(5); d > 300*time.Millisecond {
			t.Fatalf("backoff(5) = %s above the cap", d)
		}
	}
}

// tokens is a TokenSource returning list[i] on its i-th call.
type tokens struct {
	list  []string
	calls atomic.Int32
	delay time.Duration
}

func (s *tokens) Token(ctx context.Context) (Token, error) {
	i := int(s.calls.Add(1)) - 1
	time.Sleep(s.delay)
	return Token{Value: s.list[min(i, len(s.list)-1)], ExpiresAt: time.Now().Add(time.Hour)}, nil
}

func rejectToken(bad string) func(int, http.ResponseWriter, *recorded) {
	return func(n int, w http.ResponseWriter, r *recorded) {
		if r.header.Get("Authorization") == "Bearer "+bad {
			writeJSON(w, 401, gqlError("UNAUTHENTICATED", "expired"))
			return
		}
		writeJSON(w, 200, eventTypesData)
	}
}

func TestUnauthorizedRefreshesOnceOutsideTheRetryBudget(t *testing.T) {
	m := newMock(t, rejectToken("t1"))
	src := &tokens{list: []string{"t1", "t2"}}
	if _, err := NewClient(m.URL, WithTokenSource(src), WithMaxRetries(0)).Events.ListTypes(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m.count() != 2 || m.request(1).header.Get("Authorization") != "Bearer t2" || src.calls.Load() != 2 {
		t.Fatalf("%d requests, %d provider calls", m.count(), src.calls.Load())
	}

	// A token that is still rejected after the refresh is not refreshed again.
	m2 := newMock(t, func(n int, w http.ResponseWriter, _ *recorded) { writeJSON(w, 401, gqlError("UNAUTHENTICATED", "no")) })
	src2 := &tokens{list: []string{"a", "b", "c"}}
	_, err := NewClient(m2.URL, WithTokenSource(src2)).Events.ListTypes(context.Background())
	if !errors.Is(err, ErrAuthentication) || m2.count() != 2 || src2.calls.Load() != 2 {
		t.Fatalf("err %v, %d requests, %d provider calls", err, m2.count(), src2.calls.Load())
	}
}

func TestConcurrentCallsShareOneRefresh(t *testing.T) {
	m := newMock(t, rejectToken("t1"))
	src := &tokens{list: []string{"t1", "t2", "t3"}, delay: 20 * time.Millisecond}
	c := NewClient(m.URL, WithTokenSource(src))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Events.ListTypes(context.Background())
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := src.calls.Load(); got != 2 {
		t.Fatalf("provider called %d times, want 2 (initial + one shared refresh)", got)
	}
}

func TestContextDeadlineIsTheOverallTimeout(t *testing.T) {
	release := make(chan struct{})
	m := newMock(t, func(n int, w http.ResponseWriter, _ *recorded) {
		<-release
		writeJSON(w, 200, eventTypesData)
	})
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := NewClient(m.URL, fastRetries).Events.ListTypes(ctx)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindTimeout {
		t.Fatalf("err = %v, want a TimeoutError", err)
	}
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, ErrNetwork) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%v does not match ErrTimeout, ErrNetwork and context.DeadlineExceeded", err)
	}
	if m.count() != 1 || time.Since(start) > 5*time.Second {
		t.Fatalf("%d requests; a deadline must not be retried", m.count())
	}
}

func TestPerAttemptTimeoutIsRetried(t *testing.T) {
	m := newMock(t, func(n int, w http.ResponseWriter, r *recorded) {
		if n == 0 {
			time.Sleep(300 * time.Millisecond)
		}
		writeJSON(w, 200, eventTypesData)
	})
	if _, err := NewClient(m.URL, fastRetries, WithTimeout(50*time.Millisecond)).Events.ListTypes(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m.count() != 2 {
		t.Fatalf("%d requests, want a timed-out attempt and a retry", m.count())
	}
}

func TestNetworkErrorsWrapTheTransportError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	_, err = NewClient("http://"+addr+"/graphql", fastRetries).Events.ListTypes(context.Background())
	var e *Error
	var ue *url.Error
	var ne net.Error
	if !errors.As(err, &e) || e.Kind != KindNetwork || !errors.Is(err, ErrNetwork) {
		t.Fatalf("err = %v, want a NetworkError", err)
	}
	if !errors.As(err, &ue) || !errors.As(err, &ne) {
		t.Fatalf("errors.As cannot reach *url.Error / net.Error in %v", err)
	}
}

func TestGraphQLErrorsAreReadFromNon2xxBodies(t *testing.T) {
	m := newMock(t, func(n int, w http.ResponseWriter, _ *recorded) {
		writeJSON(w, 404, gqlError("NOT_FOUND", "webhook not found"))
	})
	_, err := NewClient(m.URL).Webhooks.Get(context.Background(), "nope")
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindNotFound || e.Code != "NOT_FOUND" || e.StatusCode != 404 ||
		e.RequestID != "req_No" || len(e.GraphQLErrors) != 1 || e.Message != "webhook not found" {
		t.Fatalf("got %#v", err)
	}
	if !errors.Is(err, ErrNotFound) {
		t.Fatal("errors.Is(err, ErrNotFound) is false")
	}
}

func TestPartialData(t *testing.T) {
	m := newMock(t, func(n int, w http.ResponseWriter, _ *recorded) {
		body := gqlError("FORBIDDEN", "not yours")
		body["data"] = map[string]any{"eventTypes": []any{}}
		writeJSON(w, 200, body)
	})
	_, err := NewClient(m.URL).Events.ListTypes(context.Background())
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindPermissionDenied || string(e.PartialData) != `{"eventTypes":[]}` {
		t.Fatalf("got %#v", err)
	}
}

func TestLoggingRedactsTheToken(t *testing.T) {
	m := newMock(t, func(n int, w http.ResponseWriter, _ *recorded) {
		if n == 0 {
			writeJSON(w, 503, map[string]any{})
			return
		}
		writeJSON(w, 200, eventTypesData)
	})
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := NewClient(m.URL, WithToken("super-secret-token"), WithLogger(logger), fastRetries)
	if _, err := c.Events.ListTypes(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "super-secret-token") {
		t.Fatalf("the token was logged:\n%s", out)
	}
	if !strings.Contains(out, "[REDACTED]") || !strings.Contains(out, "hookline: retrying") {
		t.Fatalf("expected a redacted header and a retry in the log:\n%s", out)
	}
	if m.request(1).header.Get("Authorization") != "Bearer super-secret-token" {
		t.Fatal("the token was not sent")
	}
}

func TestRequestShape(t *testing.T) {
	m := newMock(t, func(n int, w http.ResponseWriter, r *recorded) {
		writeJSON(w, 200, gqlError("BAD_USER_INPUT", "nope"))
	})
	c := NewClient(m.URL, WithUserAgent("acme/1.0"))
	_, _ = c.Webhooks.List(context.Background(), ListWebhooksParams{})
	_, err := c.Webhooks.Create(context.Background(), CreateWebhookParams{Name: "n", URL: "https://example.com", MaxRetries: Ptr(0)})
	if !errors.Is(err, ErrValidation) {
		t.Fatalf("err = %v", err)
	}
	list, create := m.request(0), m.request(1)
	if list.body.OperationName != "ListWebhooks" || len(list.body.Variables) != 0 {
		t.Fatalf("unset variables must be left out (so defaults apply): %v", list.body.Variables)
	}
	var input map[string]any
	if err := json.Unmarshal(create.body.Variables["input"], &input); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"name": "n", "url": "https://example.com", "maxRetries": float64(0)}
	if !reflect.DeepEqual(input, want) {
		t.Fatalf("input = %v, want %v", input, want)
	}
	if ua := create.header.Get("User-Agent"); !strings.HasPrefix(ua, "acme/1.0 hookline-go/") {
		t.Fatalf("User-Agent = %q", ua)
	}
	if !strings.HasPrefix(strings.TrimSpace(create.body.Query), "mutation CreateWebhook") {
		t.Fatalf("query = %q", create.body.Query)
	}
}

func TestNoRetryThatWouldOutliveTheDeadline(t *testing.T) {
	m := newMock(t, func(n int, w http.ResponseWriter, _ *recorded) {
		w.Header().Set("Retry-After", "30")
		writeJSON(w, 503, map[string]any{})
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := NewClient(m.URL).Events.ListTypes(ctx)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindTimeout || !errors.Is(err, context.DeadlineExceeded) || e.RequestID != "req_Se" {
		t.Fatalf("err = %#v, want a TimeoutError carrying the last request id", err)
	}
	if ctx.Err() != nil || m.count() != 1 {
		t.Fatalf("waited for the deadline or retried (%d requests) instead of giving up at once", m.count())
	}
}
