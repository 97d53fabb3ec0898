// Package goverify measures the Go SDK's verifier against its limit (raw
// crypto/hmac over the same bytes) and the official Standard Webhooks Go
// library, side by side in one run. Run: go test -run '^$' -bench . -benchmem
package goverify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	hookline "github.com/hookline/hookline/sdks/go"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

const (
	secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	msgID  = "msg_p5jXN8AQM9LWM0D4loKWxJek"
)

// fixture is a 2 KiB body signed now, with the headers a receiver gets.
func fixture(b *testing.B) ([]byte, http.Header, string) {
	b.Helper()
	body := []byte(`{"type":"video.generated","timestamp":"2026-12-04T20:00:00Z","data":{"pad":"` +
		strings.Repeat("x", 2048-79) + `"}}`)
	if len(body) != 2048 {
		b.Fatalf("body is %d bytes, want 2048", len(body))
	}
	wh, err := hookline.NewWebhook(secret)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	sig, err := wh.Sign(msgID, now, body)
	if err != nil {
		b.Fatal(err)
	}
	h := http.Header{}
	h.Set("webhook-id", msgID)
	h.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
	h.Set("webhook-signature", sig)
	return body, h, sig
}

// BenchmarkRawHMAC is the floor: HMAC-SHA256 of "<id>.<ts>.<body>" with a
// decoded key and a constant-time compare, nothing else.
func BenchmarkRawHMAC(b *testing.B) {
	body, h, sig := fixture(b)
	key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	want, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(sig, "v1,"))
	ts := h.Get("webhook-timestamp")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(msgID))
		m.Write([]byte{'.'})
		m.Write([]byte(ts))
		m.Write([]byte{'.'})
		m.Write(body)
		if !hmac.Equal(m.Sum(nil), want) {
			b.Fatal("mismatch")
		}
	}
}

// BenchmarkHooklineVerify is the SDK's Webhook.Verify: header parsing,
// timestamp check, signature decoding and the same HMAC.
func BenchmarkHooklineVerify(b *testing.B) {
	body, h, _ := fixture(b)
	wh, err := hookline.NewWebhook(secret)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := wh.Verify(body, h); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStandardWebhooksVerify is the official library's Webhook.Verify.
func BenchmarkStandardWebhooksVerify(b *testing.B) {
	body, h, _ := fixture(b)
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := wh.Verify(body, h); err != nil {
			b.Fatal(err)
		}
	}
}
