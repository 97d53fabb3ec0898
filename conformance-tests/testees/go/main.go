// Command testee drives the Go SDK for the conformance runner: one JSON
// request per line on stdin, one JSON answer per line on stdout (see
// conformance-tests/PROTOCOL.md). Requests run concurrently; logs go to stderr.
package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	hookline "github.com/hookline/hookline/sdks/go"
)

type request struct {
	ID int    `json:"id"`
	Op string `json:"op"`
	// sign / verify
	Secret           string            `json:"secret"`
	Secrets          []string          `json:"secrets"`
	Algorithm        string            `json:"algorithm"`
	MsgID            string            `json:"msgId"`
	Timestamp        int64             `json:"timestamp"`
	Body             *string           `json:"body"`
	BodyBase64       *string           `json:"bodyBase64"`
	Headers          map[string]string `json:"headers"`
	Now              int64             `json:"now"`
	ToleranceSeconds *int64            `json:"toleranceSeconds"`
	// call
	Client         clientSpec                 `json:"client"`
	Operation      string                     `json:"operation"`
	Variables      map[string]json.RawMessage `json:"variables"`
	IdempotencyKey *string                    `json:"idempotencyKey"`
	Concurrency    int                        `json:"concurrency"`
	// receiver
	Status    int   `json:"status"`
	Times     *int  `json:"times"`
	WaitFor   int   `json:"waitFor"`
	TimeoutMs int64 `json:"timeoutMs"`
}

type clientSpec struct {
	BaseURL       string  `json:"baseUrl"`
	Token         *string `json:"token"`
	TokenProvider *struct {
		Tokens           []string `json:"tokens"`
		ExpiresInSeconds *float64 `json:"expiresInSeconds"`
		DelayMs          int64    `json:"delayMs"`
	} `json:"tokenProvider"`
	MaxRetries          *int   `json:"maxRetries"`
	InitialRetryDelayMs *int64 `json:"initialRetryDelayMs"`
	MaxRetryDelayMs     *int64 `json:"maxRetryDelayMs"`
	MaxRetryAfterMs     *int64 `json:"maxRetryAfterMs"`
	TimeoutMs           *int64 `json:"timeoutMs"`
	DeadlineMs          *int64 `json:"deadlineMs"`
	IdempotentMutations *bool  `json:"idempotentMutations"`
}

// testeeError is a problem with the request itself (class TesteeError).
type testeeError struct{ msg string }

func (e *testeeError) Error() string { return e.msg }

func bad(format string, args ...any) error { return &testeeError{fmt.Sprintf(format, args...)} }

var (
	outMu sync.Mutex
	out   = bufio.NewWriter(os.Stdout)
)

func send(v any) {
	line, err := json.Marshal(v)
	if err != nil {
		line, _ = json.Marshal(map[string]any{"ok": false, "error": errorObject(err)})
	}
	outMu.Lock()
	defer outMu.Unlock()
	out.Write(line)
	out.WriteByte('\n')
	out.Flush()
}

func main() {
	log.SetOutput(os.Stderr)
	in := bufio.NewReader(os.Stdin)
	var wg sync.WaitGroup
	for {
		line, err := in.ReadBytes('\n')
		if len(strings.TrimSpace(string(line))) > 0 {
			var req request
			if jerr := json.Unmarshal(line, &req); jerr != nil {
				var idOnly struct {
					ID int `json:"id"`
				}
				_ = json.Unmarshal(line, &idOnly)
				send(map[string]any{"id": idOnly.ID, "ok": false, "error": errorObject(bad("bad request: %v", jerr))})
			} else if req.Op == "shutdown" {
				wg.Wait()
				send(map[string]any{"id": req.ID, "ok": true, "result": map[string]any{}})
				stopReceiver()
				os.Exit(0)
			} else {
				wg.Add(1)
				go func() {
					defer wg.Done()
					handle(req)
				}()
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				log.Printf("stdin: %v", err)
			}
			wg.Wait()
			stopReceiver()
			return
		}
	}
}

func handle(req request) {
	defer func() {
		if p := recover(); p != nil {
			send(map[string]any{"id": req.ID, "ok": false, "error": errorObject(bad("panic: %v", p))})
		}
	}()
	var result any
	var err error
	switch req.Op {
	case "sign":
		result, err = opSign(req)
	case "verify":
		result, err = opVerify(req)
	case "call":
		result, err = opCall(req)
	case "startReceiver":
		result, err = opStartReceiver(req)
	case "setReceiverSecrets":
		result, err = opSetReceiverSecrets(req)
	case "setReceiverStatus":
		result, err = opSetReceiverStatus(req)
	case "receivedEvents":
		result, err = opReceivedEvents(req)
	default:
		err = bad("unknown op %q", req.Op)
	}
	if err != nil {
		var ce *callError
		if errors.As(err, &ce) {
			obj := errorObject(ce.err)
			obj["providerCalls"] = ce.providerCalls
			send(map[string]any{"id": req.ID, "ok": false, "error": obj})
			return
		}
		send(map[string]any{"id": req.ID, "ok": false, "error": errorObject(err)})
		return
	}
	send(map[string]any{"id": req.ID, "ok": true, "result": result})
}

// errorObject normalises an error as PROTOCOL.md's ErrorObject.
func errorObject(err error) map[string]any {
	obj := map[string]any{
		"class": "TesteeError", "code": nil, "status": nil, "requestId": nil, "retryAfterMs": nil,
		"graphqlErrors": []any{}, "partialData": nil, "reason": nil, "message": err.Error(),
	}
	var he *hookline.Error
	var ve *hookline.VerificationError
	switch {
	case errors.As(err, &he):
		obj["class"] = he.Kind.String()
		if he.Code != "" {
			obj["code"] = he.Code
		}
		if he.StatusCode != 0 {
			obj["status"] = he.StatusCode
		}
		if he.RequestID != "" {
			obj["requestId"] = he.RequestID
		}
		if he.Kind == hookline.KindRateLimit && he.RetryAfter > 0 {
			obj["retryAfterMs"] = he.RetryAfter.Milliseconds()
		}
		if len(he.GraphQLErrors) > 0 {
			obj["graphqlErrors"] = he.GraphQLErrors
		}
		if he.PartialData != nil {
			obj["partialData"] = he.PartialData
		}
	case errors.As(err, &ve):
		obj["class"] = "WebhookVerificationError"
		obj["reason"] = string(ve.Reason)
	}
	return obj
}

func bodyOf(req request) ([]byte, error) {
	switch {
	case req.BodyBase64 != nil:
		return base64.StdEncoding.DecodeString(*req.BodyBase64)
	case req.Body != nil:
		return []byte(*req.Body), nil
	}
	return nil, bad("body or bodyBase64 is required")
}

// --- signatures -------------------------------------------------------------

func opSign(req request) (any, error) {
	body, err := bodyOf(req)
	if err != nil {
		return nil, err
	}
	alg := hookline.SignatureAlgorithmSHA256
	if strings.EqualFold(req.Algorithm, "sha512") {
		alg = hookline.SignatureAlgorithmSHA512
	}
	wh, err := hookline.NewWebhook(req.Secret, hookline.WithSignatureAlgorithm(alg))
	if err != nil {
		return nil, err
	}
	sig, err := wh.Sign(req.MsgID, time.Unix(req.Timestamp, 0), body)
	if err != nil {
		return nil, err
	}
	return map[string]any{"signature": sig}, nil
}

func opVerify(req request) (any, error) {
	body, err := bodyOf(req)
	if err != nil {
		return nil, err
	}
	opts := []hookline.WebhookOption{hookline.WithClock(func() time.Time { return time.Unix(req.Now, 0) })}
	if req.ToleranceSeconds != nil {
		opts = append(opts, hookline.WithTolerance(time.Duration(*req.ToleranceSeconds)*time.Second))
	}
	wh, err := hookline.NewWebhookWithSecrets(req.Secrets, opts...)
	if err != nil {
		return nil, err
	}
	headers := http.Header{}
	for k, v := range req.Headers {
		headers.Set(k, v)
	}
	if err := wh.Verify(body, headers); err != nil {
		return nil, err
	}
	return map[string]any{"verified": true}, nil
}

// --- client calls -----------------------------------------------------------

// callError carries the provider's call count next to a failed call's error.
type callError struct {
	err           error
	providerCalls int64
}

func (e *callError) Error() string { return e.err.Error() }

func ms(v int64) time.Duration { return time.Duration(v) * time.Millisecond }

func opCall(req request) (any, error) {
	spec := req.Client
	if spec.BaseURL == "" {
		return nil, bad("client.baseUrl is required")
	}
	var providerCalls atomic.Int64
	var opts []hookline.Option
	if spec.Token != nil {
		opts = append(opts, hookline.WithToken(*spec.Token))
	}
	if tp := spec.TokenProvider; tp != nil {
		if len(tp.Tokens) == 0 {
			return nil, bad("tokenProvider.tokens must not be empty")
		}
		tokens, delay := tp.Tokens, ms(tp.DelayMs)
		expiresIn := 3600 * time.Second
		if tp.ExpiresInSeconds != nil {
			expiresIn = time.Duration(*tp.ExpiresInSeconds * float64(time.Second))
		}
		opts = append(opts, hookline.WithTokenSource(hookline.TokenSourceFunc(func(ctx context.Context) (hookline.Token, error) {
			i := int(providerCalls.Add(1)) - 1
			if delay > 0 {
				t := time.NewTimer(delay)
				defer t.Stop()
				select {
				case <-t.C:
				case <-ctx.Done():
					return hookline.Token{}, ctx.Err()
				}
			}
			return hookline.Token{Value: tokens[min(i, len(tokens)-1)], ExpiresAt: time.Now().Add(expiresIn)}, nil
		})))
	}
	if spec.MaxRetries != nil {
		opts = append(opts, hookline.WithMaxRetries(*spec.MaxRetries))
	}
	initial, maxDelay := hookline.DefaultInitialRetryDelay, hookline.DefaultMaxRetryDelay
	if spec.InitialRetryDelayMs != nil {
		initial = ms(*spec.InitialRetryDelayMs)
	}
	if spec.MaxRetryDelayMs != nil {
		maxDelay = ms(*spec.MaxRetryDelayMs)
	}
	opts = append(opts, hookline.WithRetryDelays(initial, maxDelay))
	if spec.MaxRetryAfterMs != nil {
		opts = append(opts, hookline.WithMaxRetryAfter(ms(*spec.MaxRetryAfterMs)))
	}
	if spec.TimeoutMs != nil {
		opts = append(opts, hookline.WithTimeout(ms(*spec.TimeoutMs)))
	}
	if spec.IdempotentMutations != nil {
		opts = append(opts, hookline.WithIdempotentMutations(*spec.IdempotentMutations))
	}
	client := hookline.NewClient(spec.BaseURL, opts...)

	var callOpts []hookline.CallOption
	if req.IdempotencyKey != nil {
		callOpts = append(callOpts, hookline.WithIdempotencyKey(*req.IdempotencyKey))
	}
	run := func() (any, error) {
		ctx := context.Background()
		if spec.DeadlineMs != nil {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, ms(*spec.DeadlineMs))
			defer cancel()
		}
		return invoke(ctx, client, req.Operation, req.Variables, callOpts)
	}

	if req.Concurrency > 1 {
		results := make([]map[string]any, req.Concurrency)
		var wg sync.WaitGroup
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				data, err := run()
				if err != nil {
					results[i] = map[string]any{"ok": false, "error": errorObject(err)}
				} else {
					results[i] = map[string]any{"ok": true, "data": data}
				}
			}()
		}
		wg.Wait()
		return map[string]any{"results": results, "providerCalls": providerCalls.Load()}, nil
	}
	data, err := run()
	if err != nil {
		var te *testeeError
		if errors.As(err, &te) {
			return nil, err
		}
		return nil, &callError{err: err, providerCalls: providerCalls.Load()}
	}
	return map[string]any{"data": data, "providerCalls": providerCalls.Load()}, nil
}

// vars reads GraphQL variables into the SDK's params and arguments.
type vars map[string]json.RawMessage

func (v vars) str(name string) (string, error) {
	raw, ok := v[name]
	if !ok {
		return "", bad("variable %q is required", name)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", bad("variable %q: %v", name, err)
	}
	return s, nil
}

func (v vars) into(name string, dst any) error {
	raw := json.RawMessage("{}")
	if name == "" {
		b, _ := json.Marshal(v)
		raw = b
	} else if r, ok := v[name]; ok {
		raw = r
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return bad("variables %s: %v", name, err)
	}
	return nil
}

// invoke runs one operation through its resource method (PROTOCOL.md table).
func invoke(ctx context.Context, c *hookline.Client, operation string, raw map[string]json.RawMessage, opts []hookline.CallOption) (any, error) {
	v := vars(raw)
	if v == nil {
		v = vars{}
	}
	switch operation {
	case "ListWebhooks":
		var p hookline.ListWebhooksParams
		if err := v.into("", &p); err != nil {
			return nil, err
		}
		return c.Webhooks.List(ctx, p, opts...)
	case "GetWebhook":
		id, err := v.str("id")
		if err != nil {
			return nil, err
		}
		return c.Webhooks.Get(ctx, id, opts...)
	case "GetWebhookSecret":
		id, err := v.str("id")
		if err != nil {
			return nil, err
		}
		return c.Webhooks.GetSecret(ctx, id, opts...)
	case "CreateWebhook":
		var p hookline.CreateWebhookParams
		if err := v.into("input", &p); err != nil {
			return nil, err
		}
		return c.Webhooks.Create(ctx, p, opts...)
	case "UpdateWebhook":
		id, err := v.str("id")
		if err != nil {
			return nil, err
		}
		var p hookline.UpdateWebhookParams
		if err := v.into("input", &p); err != nil {
			return nil, err
		}
		return c.Webhooks.Update(ctx, id, p, opts...)
	case "DeleteWebhook":
		id, err := v.str("id")
		if err != nil {
			return nil, err
		}
		return c.Webhooks.Delete(ctx, id, opts...)
	case "RotateWebhookSecret":
		id, err := v.str("id")
		if err != nil {
			return nil, err
		}
		var p hookline.RotateSecretParams
		if err := v.into("", &p); err != nil {
			return nil, err
		}
		return c.Webhooks.RotateSecret(ctx, id, p, opts...)
	case "VerifyWebhookEndpoint":
		id, err := v.str("id")
		if err != nil {
			return nil, err
		}
		return c.Webhooks.VerifyEndpoint(ctx, id, opts...)
	case "GetWebhookStatistics":
		id, err := v.str("webhookId")
		if err != nil {
			return nil, err
		}
		var p hookline.StatisticsParams
		if err := v.into("", &p); err != nil {
			return nil, err
		}
		return c.Webhooks.Statistics(ctx, id, p, opts...)
	case "SubscribeWebhookEvents":
		id, err := v.str("webhookId")
		if err != nil {
			return nil, err
		}
		var p hookline.SubscribeParams
		if err := v.into("", &p); err != nil {
			return nil, err
		}
		if f, ok := v["filters"]; ok {
			p.Filters = f
		}
		return c.Webhooks.Subscribe(ctx, id, p, opts...)
	case "UnsubscribeWebhookEvents":
		id, err := v.str("webhookId")
		if err != nil {
			return nil, err
		}
		var types []string
		if err := v.into("eventTypes", &types); err != nil {
			return nil, err
		}
		return c.Webhooks.Unsubscribe(ctx, id, types, opts...)
	case "ListEventTypes":
		return c.Events.ListTypes(ctx, opts...)
	case "TriggerWebhookEvent":
		var p hookline.TriggerEventParams
		if err := v.into("", &p); err != nil {
			return nil, err
		}
		if payload, ok := v["payload"]; ok {
			p.Payload = payload // keep the exact JSON
		}
		return c.Events.Trigger(ctx, p, opts...)
	case "SendTestEvent":
		id, err := v.str("webhookId")
		if err != nil {
			return nil, err
		}
		return c.Events.SendTest(ctx, id, opts...)
	case "ListDeliveries":
		var p hookline.ListDeliveriesParams
		if err := v.into("", &p); err != nil {
			return nil, err
		}
		return c.Deliveries.List(ctx, p, opts...)
	case "GetDelivery":
		id, err := v.str("id")
		if err != nil {
			return nil, err
		}
		return c.Deliveries.Get(ctx, id, opts...)
	case "RetryFailedDelivery":
		id, err := v.str("deliveryId")
		if err != nil {
			return nil, err
		}
		return c.Deliveries.Retry(ctx, id, opts...)
	case "ListPendingWebhookRetries":
		var p hookline.PendingRetriesParams
		if err := v.into("", &p); err != nil {
			return nil, err
		}
		return c.Deliveries.PendingRetries(ctx, p, opts...)
	}
	return nil, bad("unknown operation %q", operation)
}

// --- receiver ---------------------------------------------------------------

type receivedEvent struct {
	WebhookID string          `json:"webhookId"`
	Type      string          `json:"type"`
	Data      json.RawMessage `json:"data"`
}

type receiver struct {
	server  *http.Server
	url     string
	webhook atomic.Pointer[hookline.Webhook]

	mu           sync.Mutex
	changed      chan struct{} // closed and replaced on every change
	events       []receivedEvent
	rejected     int
	forcedStatus int
	forcedTimes  int
}

var (
	recvMu  sync.Mutex
	current *receiver
)

func newReceiver(secrets []string) (*receiver, error) {
	wh, err := hookline.NewWebhookWithSecrets(secrets)
	if err != nil {
		return nil, err
	}
	r := &receiver{changed: make(chan struct{})}
	r.webhook.Store(wh)

	// The SDK's own middleware does the verification; the handler only
	// records what got through.
	inner := http.HandlerFunc(r.serveVerified)
	onError := hookline.WithErrorHandler(func(w http.ResponseWriter, req *http.Request, err error) {
		r.mu.Lock()
		r.rejected++
		r.notifyLocked()
		r.mu.Unlock()
		http.Error(w, err.Error(), http.StatusUnauthorized)
	})
	handler := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost || req.URL.Path != "/hook" {
			http.NotFound(w, req)
			return
		}
		hookline.VerifyMiddleware(r.webhook.Load(), onError)(inner).ServeHTTP(w, req)
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r.server = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	r.url = fmt.Sprintf("http://%s/hook", ln.Addr().String())
	go func() {
		if err := r.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("receiver: %v", err)
		}
	}()
	return r, nil
}

func (r *receiver) notifyLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

func (r *receiver) serveVerified(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body) // restored by the middleware
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var envelope struct {
		Type string          `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	_ = json.Unmarshal(body, &envelope)

	r.mu.Lock()
	if r.forcedTimes > 0 {
		r.forcedTimes--
		status := r.forcedStatus
		r.mu.Unlock()
		w.WriteHeader(status)
		return
	}
	if envelope.Data == nil {
		envelope.Data = json.RawMessage("null")
	}
	r.events = append(r.events, receivedEvent{WebhookID: req.Header.Get("webhook-id"), Type: envelope.Type, Data: envelope.Data})
	r.notifyLocked()
	r.mu.Unlock()

	if envelope.Type == "webhook.verification" {
		var data struct {
			Challenge any `json:"challenge"`
		}
		_ = json.Unmarshal(envelope.Data, &data)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"challenge": data.Challenge})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func stopReceiver() {
	recvMu.Lock()
	defer recvMu.Unlock()
	if current != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = current.server.Shutdown(ctx)
		current = nil
	}
}

func currentReceiver() (*receiver, error) {
	recvMu.Lock()
	defer recvMu.Unlock()
	if current == nil {
		return nil, bad("no receiver started")
	}
	return current, nil
}

func opStartReceiver(req request) (any, error) {
	stopReceiver()
	r, err := newReceiver(req.Secrets)
	if err != nil {
		return nil, err
	}
	recvMu.Lock()
	current = r
	recvMu.Unlock()
	return map[string]any{"url": r.url}, nil
}

func opSetReceiverSecrets(req request) (any, error) {
	r, err := currentReceiver()
	if err != nil {
		return nil, err
	}
	wh, err := hookline.NewWebhookWithSecrets(req.Secrets)
	if err != nil {
		return nil, err
	}
	r.webhook.Store(wh)
	return map[string]any{}, nil
}

func opSetReceiverStatus(req request) (any, error) {
	r, err := currentReceiver()
	if err != nil {
		return nil, err
	}
	times := 1
	if req.Times != nil {
		times = *req.Times
	}
	r.mu.Lock()
	r.forcedStatus, r.forcedTimes = req.Status, times
	r.mu.Unlock()
	return map[string]any{}, nil
}

func opReceivedEvents(req request) (any, error) {
	r, err := currentReceiver()
	if err != nil {
		return nil, err
	}
	timeout := 5 * time.Second
	if req.TimeoutMs > 0 {
		timeout = ms(req.TimeoutMs)
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
wait:
	for {
		r.mu.Lock()
		if len(r.events) >= req.WaitFor {
			break wait // holding the lock
		}
		changed := r.changed
		r.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			r.mu.Lock()
			break wait
		}
	}
	defer r.mu.Unlock()
	events := append([]receivedEvent{}, r.events...)
	return map[string]any{"events": events, "rejected": r.rejected}, nil
}
