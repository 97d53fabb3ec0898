package hookline_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	hookline "github.com/hookline/hookline/sdks/go"
)

// consumerMain is a program a user of the module would write. In "secret"
// mode it fetches a webhook's secret and verifies a delivery given in its
// environment; in "e2e" mode it runs a receiver with the SDK's middleware,
// creates a webhook pointing at it, triggers an event and waits until the
// delivery arrives verified.
const consumerMain = `package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	hookline "github.com/hookline/hookline/sdks/go"
)

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	url := os.Getenv("HOOKLINE_URL")
	if os.Getenv("CONSUMER_MODE") == "e2e" {
		e2e(ctx, url)
		return
	}
	client := hookline.NewClient(url, hookline.WithToken(os.Getenv("HOOKLINE_TOKEN")))
	secret, err := client.Webhooks.GetSecret(ctx, os.Getenv("WEBHOOK_ID"))
	if err != nil {
		fail(err)
	}
	wh, err := hookline.NewWebhook(secret.Secret)
	if err != nil {
		fail(err)
	}
	h := http.Header{}
	h.Set("webhook-id", os.Getenv("DELIVERY_ID"))
	h.Set("webhook-timestamp", os.Getenv("DELIVERY_TIMESTAMP"))
	h.Set("webhook-signature", os.Getenv("DELIVERY_SIGNATURE"))
	if err := wh.Verify([]byte(os.Getenv("DELIVERY_BODY")), h); err != nil {
		fmt.Println("rejected:", err)
		os.Exit(2)
	}
	fmt.Println("verified", h.Get("webhook-id"))
}

func e2e(ctx context.Context, url string) {
	var verifier atomic.Pointer[hookline.Webhook]
	received := make(chan string, 10)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wh := verifier.Load()
		if wh == nil {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		hookline.VerifyMiddleware(wh)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			received <- r.Header.Get("webhook-id")
			w.WriteHeader(http.StatusNoContent)
		})).ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	srv := &http.Server{Handler: handler}
	go srv.Serve(ln)
	defer srv.Close()

	user := hookline.NewClient(url, hookline.WithToken(os.Getenv("USER_TOKEN")))
	service := hookline.NewClient(url, hookline.WithToken(os.Getenv("SERVICE_TOKEN")))
	created, err := user.Webhooks.Create(ctx, hookline.CreateWebhookParams{
		Name: "consumer", URL: "http://" + ln.Addr().String() + "/hook", EventTypes: []string{"video.generated"},
	})
	if err != nil {
		fail(err)
	}
	wh, err := hookline.NewWebhook(created.Secret)
	if err != nil {
		fail(err)
	}
	verifier.Store(wh)
	triggered, err := service.Events.Trigger(ctx, hookline.TriggerEventParams{
		EventType: "video.generated", Payload: map[string]any{"videoId": "vid_consumer"}, UserID: created.Webhook.UserID,
	})
	if err != nil {
		fail(err)
	}
	if triggered.DeliveryCount != 1 {
		fail(fmt.Errorf("trigger created %d deliveries, want 1", triggered.DeliveryCount))
	}
	select {
	case id := <-received:
		if id != triggered.Deliveries[0].ID {
			fail(fmt.Errorf("received webhook-id %s, want delivery %s", id, triggered.Deliveries[0].ID))
		}
		fmt.Println("verified", id)
	case <-ctx.Done():
		fail(fmt.Errorf("no verified delivery arrived"))
	}
}
`

// buildConsumer writes the consumer module to a temporary directory outside
// the repository, with a replace directive to this module as a `go get` user
// would have a version, and builds it.
func buildConsumer(t *testing.T) string {
	t.Helper()
	sdkDir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	goMod := "module example.com/consumer\n\ngo 1.24\n\nrequire github.com/hookline/hookline/sdks/go v0.0.0\n\n" +
		"replace github.com/hookline/hookline/sdks/go => " + sdkDir + "\n"
	for name, text := range map[string]string{"go.mod": goMod, "main.go": consumerMain} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(dir, "consumer")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build in the consumer module: %v\n%s", err, out)
	}
	return bin
}

// TestConsumerModule builds a module outside the repository that requires
// this one through a replace directive, as `go get` users would, and runs it
// against a loopback API.
func TestConsumerModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a separate module; skipped with -short")
	}
	bin := buildConsumer(t)

	const secret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Authorization") != "Bearer tok" || !strings.Contains(string(body), `"id":"wh_1"`) {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"errors":[{"message":"no","extensions":{"code":"UNAUTHENTICATED"}}]}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data":{"webhookSecret":{"webhookId":"wh_1","secret":"`+secret+`","previousSecretExpiresAt":null}}}`)
	}))
	defer api.Close()

	signer, _ := hookline.NewWebhook(secret)
	now := time.Now()
	body := `{"type":"video.generated","timestamp":"2026-12-04T20:00:00Z","data":{"videoId":"vid_1"}}`
	sig, _ := signer.Sign("msg_consumer", now, []byte(body))
	run := func(signature string) (string, error) {
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "HOOKLINE_URL="+api.URL+"/graphql", "HOOKLINE_TOKEN=tok", "WEBHOOK_ID=wh_1",
			"DELIVERY_ID=msg_consumer", "DELIVERY_TIMESTAMP="+strconv.FormatInt(now.Unix(), 10),
			"DELIVERY_SIGNATURE="+signature, "DELIVERY_BODY="+body)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run(sig); err != nil || strings.TrimSpace(out) != "verified msg_consumer" {
		t.Fatalf("consumer: %v\n%s", err, out)
	}
	if out, err := run("v1,AAAA"); err == nil || !strings.Contains(out, "no_matching_signature") {
		t.Fatalf("consumer accepted a forged signature: %v\n%s", err, out)
	}
}

// TestConsumerModuleAgainstServer runs the consumer module against the real
// Hookline server (the built CLI on embedded PGlite, loopback only): it
// creates a webhook, triggers an event, and verifies the delivery the
// dispatcher signs and sends, with the SDK's own middleware.
func TestConsumerModuleAgainstServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the Hookline server; skipped with -short")
	}
	cli, err := filepath.Abs("../../server/dist/cli.js")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cli); err != nil {
		t.Skip("server/dist/cli.js is not built (npm run build -w @hookline/server)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH")
	}
	bin := buildConsumer(t)

	env := append(os.Environ(),
		"PORT=0", "HOST=127.0.0.1",
		"HOOKLINE_DATA_DIR="+t.TempDir(),
		"HOOKLINE_JWT_SECRET=go-consumer-test-secret-0123456789abcdef",
		"HOOKLINE_ALLOW_PRIVATE_NETWORKS=127.0.0.0/8",
		"HOOKLINE_RATE_LIMIT_PER_SECOND=0",
		"HOOKLINE_LOG_LEVEL=info",
	)
	mint := func(args ...string) string {
		cmd := exec.Command(node, append([]string{cli, "token"}, args...)...)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("hookline token %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}

	server := exec.Command(node, cli, "serve")
	server.Env = env
	logs, err := server.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	server.Stderr = server.Stdout
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	t.Cleanup(func() {
		_ = server.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = server.Process.Kill()
			<-exited
		}
	})
	urls := make(chan string, 1)
	var tailMu sync.Mutex
	var tail strings.Builder
	logTail := func() string {
		tailMu.Lock()
		defer tailMu.Unlock()
		return tail.String()
	}
	go func() {
		defer close(exited)
		buf := make([]byte, 4096)
		var pending string
		for {
			n, err := logs.Read(buf)
			pending += string(buf[:n])
			for {
				i := strings.IndexByte(pending, '\n')
				if i < 0 {
					break
				}
				line := pending[:i]
				pending = pending[i+1:]
				tailMu.Lock()
				if tail.Len() < 16<<10 {
					tail.WriteString(line + "\n")
				}
				tailMu.Unlock()
				if j := strings.Index(line, "listening on http://"); j >= 0 {
					u := line[j+len("listening on "):]
					if k := strings.IndexAny(u, "\" "); k >= 0 {
						u = u[:k]
					}
					select {
					case urls <- u:
					default:
					}
				}
			}
			if err != nil {
				_ = server.Wait()
				return
			}
		}
	}()
	var graphqlURL string
	select {
	case graphqlURL = <-urls:
	case <-exited:
		t.Fatalf("the server exited before listening:\n%s", logTail())
	case <-time.After(90 * time.Second):
		t.Fatalf("the server did not start within 90s:\n%s", logTail())
	}

	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "CONSUMER_MODE=e2e", "HOOKLINE_URL="+graphqlURL,
		"USER_TOKEN="+mint("--user", "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"), "SERVICE_TOKEN="+mint("--service-role"))
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasPrefix(strings.TrimSpace(string(out)), "verified ") {
		t.Fatalf("consumer against the server: %v\n%s", err, out)
	}
}
