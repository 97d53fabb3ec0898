package hookline

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The two published Standard Webhooks vectors (also in the shared cases).
const (
	officialSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	officialID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	officialTS     = 1614265330
	officialBody   = `{"test": 2432232314}`
	officialSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func headers(id, ts, sig string) http.Header {
	h := http.Header{}
	if id != "" {
		h.Set("webhook-id", id)
	}
	if ts != "" {
		h.Set("webhook-timestamp", ts)
	}
	if sig != "" {
		h.Set("webhook-signature", sig)
	}
	return h
}

func clockAt(unix int64) WebhookOption {
	return WithClock(func() time.Time { return time.Unix(unix, 0) })
}

func TestSignOfficialVectors(t *testing.T) {
	tests := []struct {
		secret, id string
		ts         int64
		body, want string
	}{
		{officialSecret, officialID, officialTS, officialBody, officialSig},
		{"whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk", 1649367553,
			`{"email":"test@example.com","username":"test_user"}`, "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw="},
	}
	for _, tt := range tests {
		wh, err := NewWebhook(tt.secret)
		if err != nil {
			t.Fatal(err)
		}
		got, err := wh.Sign(tt.id, time.Unix(tt.ts, 0), []byte(tt.body))
		if err != nil || got != tt.want {
			t.Errorf("Sign(%s) = %q, %v; want %q", tt.id, got, err, tt.want)
		}
		if err := wh.Verify([]byte(tt.body), headers(tt.id, strconv.FormatInt(tt.ts, 10), tt.want)); err == nil {
			t.Errorf("Verify(%s) with the wall clock accepted a 2021 timestamp", tt.id)
		}
	}
}

func TestVerify(t *testing.T) {
	body := []byte(officialBody)
	ts := strconv.FormatInt(officialTS, 10)
	sha512Sig := func() string {
		wh, _ := NewWebhook(officialSecret, WithSignatureAlgorithm(SignatureAlgorithmSHA512))
		s, _ := wh.Sign(officialID, time.Unix(officialTS, 0), body)
		return s
	}()
	other := "whsec_" + strings.Repeat("A", 43) + "="

	tests := []struct {
		name    string
		secrets []string
		h       http.Header
		body    []byte
		now     int64
		opts    []WebhookOption
		want    error // nil or a sentinel
	}{
		{"valid", []string{officialSecret}, headers(officialID, ts, officialSig), body, officialTS, nil, nil},
		{"sha512", []string{officialSecret}, headers(officialID, ts, sha512Sig), body, officialTS, nil, nil},
		{"several signatures, last matches", []string{officialSecret}, headers(officialID, ts, "v1,AAAA "+officialSig), body, officialTS, nil, nil},
		{"unknown version beside v1", []string{officialSecret}, headers(officialID, ts, "v2,xyz "+officialSig), body, officialTS, nil, nil},
		{"rotation: second secret matches", []string{other, officialSecret}, headers(officialID, ts, officialSig), body, officialTS, nil, nil},
		{"lower-case map keys", []string{officialSecret}, http.Header{"webhook-id": {officialID}, "webhook-timestamp": {ts}, "webhook-signature": {officialSig}}, body, officialTS, nil, nil},
		{"tampered body", []string{officialSecret}, headers(officialID, ts, officialSig), []byte(`{"test": 2432232315}`), officialTS, nil, ErrNoMatchingSignature},
		{"wrong secret", []string{other}, headers(officialID, ts, officialSig), body, officialTS, nil, ErrNoMatchingSignature},
		{"sha256 mac labelled v1-sha512", []string{officialSecret}, headers(officialID, ts, "v1-sha512,"+strings.TrimPrefix(officialSig, "v1,")), body, officialTS, nil, ErrNoMatchingSignature},
		{"unknown versions only", []string{officialSecret}, headers(officialID, ts, "v2,"+strings.TrimPrefix(officialSig, "v1,")), body, officialTS, nil, ErrNoMatchingSignature},
		{"invalid base64", []string{officialSecret}, headers(officialID, ts, "v1,!!!"), body, officialTS, nil, ErrNoMatchingSignature},
		{"base64 with a CR inside", []string{officialSecret}, headers(officialID, ts, officialSig[:10]+"\r"+officialSig[10:]), body, officialTS, nil, ErrNoMatchingSignature},
		{"base64 with non-zero padding bits", []string{officialSecret}, headers(officialID, ts, strings.TrimSuffix(officialSig, "E=")+"F="), body, officialTS, nil, ErrNoMatchingSignature},
		{"missing id", []string{officialSecret}, headers("", ts, officialSig), body, officialTS, nil, ErrMissingHeaders},
		{"missing timestamp", []string{officialSecret}, headers(officialID, "", officialSig), body, officialTS, nil, ErrMissingHeaders},
		{"missing signature", []string{officialSecret}, headers(officialID, ts, ""), body, officialTS, nil, ErrMissingHeaders},
		{"decimal timestamp", []string{officialSecret}, headers(officialID, ts+".5", officialSig), body, officialTS, nil, ErrInvalidTimestamp},
		{"signed timestamp", []string{officialSecret}, headers(officialID, "+"+ts, officialSig), body, officialTS, nil, ErrInvalidTimestamp},
		{"huge timestamp", []string{officialSecret}, headers(officialID, "99999999999999999999999", officialSig), body, officialTS, nil, ErrInvalidTimestamp},
		{"old at tolerance", []string{officialSecret}, headers(officialID, ts, officialSig), body, officialTS + 300, nil, nil},
		{"old past tolerance", []string{officialSecret}, headers(officialID, ts, officialSig), body, officialTS + 301, nil, ErrTimestampTooOld},
		{"new at tolerance", []string{officialSecret}, headers(officialID, ts, officialSig), body, officialTS - 300, nil, nil},
		{"new past tolerance", []string{officialSecret}, headers(officialID, ts, officialSig), body, officialTS - 301, nil, ErrTimestampTooNew},
		{"custom tolerance", []string{officialSecret}, headers(officialID, ts, officialSig), body, officialTS + 61, []WebhookOption{WithTolerance(time.Minute)}, ErrTimestampTooOld},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wh, err := NewWebhookWithSecrets(tt.secrets, append([]WebhookOption{clockAt(tt.now)}, tt.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			err = wh.Verify(tt.body, tt.h)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify: got %v, want %v", err, tt.want)
			}
			var ve *VerificationError
			if !errors.As(err, &ve) || reasonErrors[ve.Reason] != tt.want {
				t.Fatalf("Verify: %v is not a *VerificationError with the matching reason", err)
			}
		})
	}
}

func TestNewWebhookRejectsInvalidSecrets(t *testing.T) {
	for _, s := range []string{"", "whsec_", "whsec_not base64!", "%%%"} {
		_, err := NewWebhook(s)
		var ve *VerificationError
		if !errors.As(err, &ve) || ve.Reason != ReasonInvalidSecret || !errors.Is(err, ErrInvalidSecret) {
			t.Errorf("NewWebhook(%q) = %v, want invalid_secret", s, err)
		}
		if len(s) > len("whsec_") && strings.Contains(err.Error(), s) {
			t.Errorf("the error message leaks the secret: %v", err)
		}
	}
	if _, err := NewWebhook(strings.TrimPrefix(officialSecret, "whsec_")); err != nil {
		t.Errorf("a bare base64 secret is refused: %v", err)
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	for _, alg := range []SignatureAlgorithm{SignatureAlgorithmSHA256, SignatureAlgorithmSHA512} {
		wh, err := NewWebhook(officialSecret, WithSignatureAlgorithm(alg), WithClock(func() time.Time { return now }))
		if err != nil {
			t.Fatal(err)
		}
		payload := []byte("\x00\xffnot utf-8 at all")
		sig, err := wh.Sign("msg_1", now, payload)
		if err != nil {
			t.Fatal(err)
		}
		if err := wh.Verify(payload, headers("msg_1", strconv.FormatInt(now.Unix(), 10), sig)); err != nil {
			t.Errorf("%s: own signature refused: %v", alg, err)
		}
	}
}
