package hookline

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestVerifyMiddleware(t *testing.T) {
	now := time.Now()
	wh, err := NewWebhook(officialSecret)
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	handler := VerifyMiddleware(wh, WithMaxBodyBytes(1024))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	srv := httptest.NewServer(handler)
	defer srv.Close()

	body := `{"type":"video.generated","data":{"id":1}}`
	sig, _ := wh.Sign("msg_1", now, []byte(body))
	post := func(body, sig string) (int, map[string]string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set("Webhook-Id", "msg_1")
		req.Header.Set("Webhook-Timestamp", strconv.FormatInt(now.Unix(), 10))
		req.Header.Set("Webhook-Signature", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]string
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}

	tests := []struct {
		name, body, sig string
		status          int
		reason          string
		reachesHandler  bool
	}{
		{"valid", body, sig, http.StatusNoContent, "", true},
		{"tampered", strings.Replace(body, "1", "2", 1), sig, http.StatusUnauthorized, "no_matching_signature", false},
		{"no signature", body, "", http.StatusUnauthorized, "missing_header", false},
		{"too large", strings.Repeat("x", 2048), sig, http.StatusRequestEntityTooLarge, "body_too_large", false},
	}
	for _, tt := range tests {
		got = nil
		status, out := post(tt.body, tt.sig)
		if status != tt.status || out["reason"] != tt.reason {
			t.Errorf("%s: %d %v, want %d reason %q", tt.name, status, out, tt.status, tt.reason)
		}
		if tt.reachesHandler && string(got) != tt.body {
			t.Errorf("%s: the handler read %q, want the restored raw body", tt.name, got)
		}
		if !tt.reachesHandler && got != nil {
			t.Errorf("%s: the handler ran for a rejected delivery", tt.name)
		}
	}
}
