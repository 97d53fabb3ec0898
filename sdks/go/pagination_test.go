package hookline

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"testing"
)

func TestListAllFollowsCursors(t *testing.T) {
	// Three pages of two webhooks; the third request fails in the error case.
	pageOf := func(after string) map[string]any {
		start := 0
		if after != "" {
			start, _ = strconv.Atoi(after)
		}
		var edges []any
		for i := start; i < start+2; i++ {
			node := sampleWebhook()
			node["name"] = "wh" + strconv.Itoa(i)
			edges = append(edges, map[string]any{"cursor": strconv.Itoa(i + 1), "node": node})
		}
		end := strconv.Itoa(start + 2)
		return map[string]any{"data": map[string]any{"webhooks": map[string]any{
			"edges": edges, "pageInfo": map[string]any{"hasNextPage": start+2 < 6, "endCursor": end}}}}
	}
	failThird := false
	m := newMock(t, func(n int, w http.ResponseWriter, r *recorded) {
		if failThird && n == 2 {
			writeJSON(w, 403, gqlError("FORBIDDEN", "no"))
			return
		}
		var after string
		_ = json.Unmarshal(r.body.Variables["after"], &after)
		writeJSON(w, 200, pageOf(after))
	})
	c := NewClient(m.URL)

	var names []string
	for wh, err := range c.Webhooks.ListAll(context.Background(), ListWebhooksParams{First: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, wh.Name)
	}
	if len(names) != 6 || names[0] != "wh0" || names[5] != "wh5" || m.count() != 3 {
		t.Fatalf("got %v in %d requests", names, m.count())
	}

	// Stopping early fetches no further page.
	for range c.Webhooks.ListAll(context.Background(), ListWebhooksParams{First: 2}) {
		break
	}
	if m.count() != 4 {
		t.Fatalf("%d requests after an early break, want 4", m.count())
	}

	failThird = true
	m.mu.Lock()
	m.requests = nil
	m.mu.Unlock()
	var got int
	var lastErr error
	for _, err := range c.Webhooks.ListAll(context.Background(), ListWebhooksParams{First: 2}) {
		if err != nil {
			lastErr = err
			continue
		}
		got++
	}
	if got != 4 || !errors.Is(lastErr, ErrPermissionDenied) {
		t.Fatalf("got %d webhooks and error %v, want 4 and a PermissionDeniedError", got, lastErr)
	}
}
