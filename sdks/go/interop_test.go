package hookline_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	hookline "github.com/hookline/hookline/sdks/go"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// Interoperability with the official Standard Webhooks Go library, both ways.
func TestInteropWithStandardWebhooks(t *testing.T) {
	const secret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
	now := time.Now()
	payloads := [][]byte{[]byte(`{"type":"video.generated","data":{"id":"vid_1"}}`), {}, []byte("\xff\xfe binary")}

	theirs, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := hookline.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range payloads {
		h := http.Header{}
		h.Set("webhook-id", "msg_interop")
		h.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))

		sig, err := theirs.Sign("msg_interop", now, p)
		if err != nil {
			t.Fatal(err)
		}
		h.Set("webhook-signature", sig)
		if err := ours.Verify(p, h); err != nil {
			t.Errorf("their signature of %q refused by ours: %v", p, err)
		}

		sig, err = ours.Sign("msg_interop", now, p)
		if err != nil {
			t.Fatal(err)
		}
		h.Set("webhook-signature", sig)
		if err := theirs.Verify(p, h); err != nil {
			t.Errorf("our signature of %q refused by theirs: %v", p, err)
		}

		// Both refuse a tampered body.
		tampered := append(append([]byte{}, p...), '!')
		if ours.Verify(tampered, h) == nil || theirs.Verify(tampered, h) == nil {
			t.Errorf("a tampered body verified")
		}
	}
}
