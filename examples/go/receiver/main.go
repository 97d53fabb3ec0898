// Command receiver is a net/http webhook receiver that verifies Hookline
// deliveries with the SDK's middleware.
//
//	HOOKLINE_WEBHOOK_SECRET=whsec_... go run ./receiver
//
// During a secret rotation, set HOOKLINE_WEBHOOK_SECRETS to the new and the
// previous secret, space-separated, so both are accepted.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"strings"

	hookline "github.com/hookline/hookline/sdks/go"
)

func main() {
	secrets := strings.Fields(os.Getenv("HOOKLINE_WEBHOOK_SECRETS"))
	if len(secrets) == 0 {
		secrets = []string{os.Getenv("HOOKLINE_WEBHOOK_SECRET")}
	}
	wh, err := hookline.NewWebhookWithSecrets(secrets)
	if err != nil {
		log.Fatal(err) // never prints the secret
	}

	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Only verified deliveries get here; r.Body is the raw body.
		var event struct {
			Type      string          `json:"type"`
			Timestamp string          `json:"timestamp"`
			Data      json.RawMessage `json:"data"`
		}
		if err := json.NewDecoder(r.Body).Decode(&event); err != nil {
			http.Error(w, "not JSON", http.StatusBadRequest)
			return
		}
		// webhook-id is stable across retries: use it to drop duplicates.
		log.Printf("event %s %s: %s", r.Header.Get("webhook-id"), event.Type, event.Data)
		if event.Type == "webhook.verification" {
			var data struct {
				Challenge string `json:"challenge"`
			}
			_ = json.Unmarshal(event.Data, &data)
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]string{"challenge": data.Challenge})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})

	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	http.Handle("POST /webhooks", hookline.VerifyMiddleware(wh)(handler))
	log.Printf("listening on http://%s/webhooks", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
