package hookline

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// signatureVectors reads the shared verify cases: the data exists once, under
// conformance-tests/, and is read here at test time rather than copied.
type verifyVector struct {
	Name      string
	Secrets   []string
	Headers   map[string]string
	Body      []byte
	Now       int64
	Tolerance time.Duration
	Verified  bool
}

func loadVerifyVectors(t testing.TB) []verifyVector {
	t.Helper()
	files, err := filepath.Glob("../../conformance-tests/cases/signatures/*.json")
	if err != nil {
		t.Fatal(err)
	}
	var out []verifyVector
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var file struct {
			Cases []struct {
				Name    string `json:"name"`
				Request struct {
					Op         string            `json:"op"`
					Secrets    []string          `json:"secrets"`
					Headers    map[string]string `json:"headers"`
					Body       json.RawMessage   `json:"body"` // a string or {"repeat","times"}
					BodyBase64 *string           `json:"bodyBase64"`
					Now        int64             `json:"now"`
					Tolerance  *int64            `json:"toleranceSeconds"`
				} `json:"request"`
				Expect struct {
					OK bool `json:"ok"`
				} `json:"expect"`
			} `json:"cases"`
		}
		if err := json.Unmarshal(raw, &file); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, c := range file.Cases {
			r := c.Request
			if r.Op != "verify" || len(r.Secrets) == 0 {
				continue
			}
			v := verifyVector{Name: c.Name, Secrets: r.Secrets, Headers: r.Headers, Now: r.Now, Verified: c.Expect.OK, Tolerance: DefaultTolerance}
			if r.Tolerance != nil {
				v.Tolerance = time.Duration(*r.Tolerance) * time.Second
			}
			switch {
			case r.BodyBase64 != nil:
				v.Body, _ = base64.StdEncoding.DecodeString(*r.BodyBase64)
			case r.Body != nil:
				var text string
				var gen struct {
					Repeat string `json:"repeat"`
					Times  int    `json:"times"`
				}
				if json.Unmarshal(r.Body, &text) == nil {
					v.Body = []byte(text)
				} else if err := json.Unmarshal(r.Body, &gen); err == nil {
					v.Body = []byte(strings.Repeat(gen.Repeat, gen.Times))
				} else {
					t.Fatalf("%s: body: %v", c.Name, err)
				}
			}
			out = append(out, v)
		}
	}
	return out
}

func headerOf(m map[string]string) http.Header {
	h := http.Header{}
	for k, v := range m {
		h.Set(k, v)
	}
	return h
}

// Until the shared vectors exist, the official vector seeds the corpus.
func FuzzVerify(f *testing.F) {
	f.Add(officialSecret, officialID, strconv.Itoa(officialTS), officialSig, []byte(officialBody), int64(officialTS))
	for _, v := range loadVerifyVectors(f) {
		if len(v.Body) > 64<<10 {
			continue // keep the corpus small; TestSharedVerifyVectors covers it
		}
		f.Add(v.Secrets[0], v.Headers["webhook-id"], v.Headers["webhook-timestamp"], v.Headers["webhook-signature"], v.Body, v.Now)
	}
	f.Fuzz(func(t *testing.T, secret, id, ts, sig string, body []byte, now int64) {
		wh, err := NewWebhook(secret, WithClock(func() time.Time { return time.Unix(now, 0) }))
		if err != nil {
			return
		}
		h := http.Header{}
		h.Set("webhook-id", id)
		h.Set("webhook-timestamp", ts)
		h.Set("webhook-signature", sig)
		err = wh.Verify(body, h) // must never panic
		if err == nil {
			// Anything accepted must be re-signable to a matching value.
			if t2, ok := parseUnixSeconds(ts); ok {
				own, _ := wh.Sign(id, time.Unix(t2, 0), body)
				own512, _ := func() (string, error) {
					w2, _ := NewWebhook(secret, WithSignatureAlgorithm(SignatureAlgorithmSHA512))
					return w2.Sign(id, time.Unix(t2, 0), body)
				}()
				if strconv.FormatInt(t2, 10) == ts && !containsEntry(sig, own) && !containsEntry(sig, own512) {
					t.Fatalf("accepted %q although our own signature is %q", sig, own)
				}
			}
			// Changing the body must break the signature.
			if wh.Verify(append(body, 'x'), h) == nil {
				t.Fatal("a tampered body verified")
			}
		}
		// Our own signature always verifies at our own timestamp.
		own, err := wh.Sign(id, time.Unix(now, 0), body)
		if err != nil {
			t.Fatal(err)
		}
		h.Set("webhook-timestamp", strconv.FormatInt(now, 10))
		h.Set("webhook-signature", own)
		if id != "" && now >= 0 && wh.Verify(body, h) != nil {
			t.Fatalf("own signature refused: %v", wh.Verify(body, h))
		}
	})
}

func containsEntry(header, sig string) bool {
	for len(header) > 0 {
		i := 0
		for i < len(header) && header[i] != ' ' {
			i++
		}
		if header[:i] == sig {
			return true
		}
		if i == len(header) {
			break
		}
		header = header[i+1:]
	}
	return false
}

// The shared vectors also run as a plain test, so `go test` checks them all.
func TestSharedVerifyVectors(t *testing.T) {
	vectors := loadVerifyVectors(t)
	if len(vectors) == 0 {
		t.Skip("conformance-tests/cases/signatures has no verify cases yet")
	}
	for _, v := range vectors {
		wh, err := NewWebhookWithSecrets(v.Secrets, WithTolerance(v.Tolerance), WithClock(func() time.Time { return time.Unix(v.Now, 0) }))
		if err != nil {
			if v.Verified {
				t.Errorf("%s: %v", v.Name, err)
			}
			continue
		}
		if err := wh.Verify(v.Body, headerOf(v.Headers)); (err == nil) != v.Verified {
			t.Errorf("%s: Verify = %v, want verified=%v", v.Name, err, v.Verified)
		}
	}
}
