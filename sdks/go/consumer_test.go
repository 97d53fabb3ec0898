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
	"testing"
	"time"

	hookline "github.com/hookline/hookline/sdks/go"
)

// consumerMain is a program a user of the module would write: it fetches a
// webhook's secret from the API and verifies a delivery with it.
const consumerMain = `package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	hookline "github.com/hookline/hookline/sdks/go"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client := hookline.NewClient(os.Getenv("HOOKLINE_URL"), hookline.WithToken(os.Getenv("HOOKLINE_TOKEN")))
	secret, err := client.Webhooks.GetSecret(ctx, os.Getenv("WEBHOOK_ID"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	wh, err := hookline.NewWebhook(secret.Secret)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
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
`

// TestConsumerModule builds a module outside the repository that requires
// this one through a replace directive, as `go get` users would, and runs it
// against a loopback API.
func TestConsumerModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a separate module; skipped with -short")
	}
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
