package hookline

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
)

// Sample API objects with every selected field set (nulls where nullable), so
// a field dropped between the generated and the handwritten types shows up.
func sampleSubscription() map[string]any {
	return map[string]any{
		"id": "11111111-1111-4111-8111-111111111111", "webhookId": "22222222-2222-4222-8222-222222222222",
		"eventType": "video.generated", "filters": map[string]any{"plan": "pro"}, "isActive": true,
		"createdAt": "2026-12-04T19:46:10.123Z", "updatedAt": "2026-12-04T19:46:11Z",
	}
}

func sampleWebhook() map[string]any {
	return map[string]any{
		"id": "22222222-2222-4222-8222-222222222222", "userId": "33333333-3333-4333-8333-333333333333",
		"name": "orders", "url": "https://example.com/hook", "description": "desc",
		"signatureAlgorithm": "SHA512", "isActive": true, "isVerified": false, "disabledReason": nil,
		"retryEnabled": true, "maxRetries": 3, "retryDelaySeconds": 60, "timeoutSeconds": 30,
		"totalDeliveries": 10, "successfulDeliveries": 8, "failedDeliveries": 2,
		"lastDeliveryAt": "2026-12-04T19:46:10.5Z", "lastSuccessAt": nil, "lastFailureAt": "2026-12-04T19:00:00Z",
		"metadata":  map[string]any{"team": "video", "n": []any{1.0, 2.0}},
		"createdAt": "2026-12-01T00:00:00Z", "updatedAt": "2026-12-02T00:00:00Z",
		"subscriptions": []any{sampleSubscription()},
	}
}

func sampleDelivery() map[string]any {
	return map[string]any{
		"id": "44444444-4444-4444-8444-444444444444", "webhookId": "22222222-2222-4222-8222-222222222222",
		"eventId": "55555555-5555-4555-8555-555555555555", "eventType": "video.generated", "status": "RETRYING",
		"requestUrl": "https://example.com/hook", "requestMethod": "POST",
		"requestHeaders":   map[string]any{"webhook-id": "44444444-4444-4444-8444-444444444444"},
		"requestPayload":   map[string]any{"type": "video.generated", "timestamp": "2026-12-04T19:46:10Z", "data": map[string]any{"id": 1.0}},
		"requestSignature": "v1,abc=", "responseStatus": 503.0, "responseHeaders": nil, "responseBody": "busy",
		"responseBodyTruncated": false, "responseTimeMs": 42.0, "attemptNumber": 1, "maxAttempts": 4,
		"nextRetryAt": "2026-12-04T19:47:10Z", "errorCode": "HTTP_503", "errorMessage": nil,
		"createdAt": "2026-12-04T19:46:10Z", "updatedAt": "2026-12-04T19:46:12Z",
	}
}

func TestResultsRoundTrip(t *testing.T) {
	webhook, delivery, sub := sampleWebhook(), sampleDelivery(), sampleSubscription()
	detailed := sampleDelivery()
	detailed["attempts"] = []any{map[string]any{"attemptNumber": 1, "responseStatus": 503, "responseTimeMs": nil,
		"errorCode": "HTTP_503", "errorMessage": "busy", "createdAt": "2026-12-04T19:46:10Z"}}
	page := func(node map[string]any) map[string]any {
		return map[string]any{"edges": []any{map[string]any{"cursor": "c1", "node": node}},
			"pageInfo": map[string]any{"hasNextPage": true, "endCursor": "c1"}}
	}
	ctx := context.Background()
	tests := []struct {
		op, field string
		data      any
		call      func(c *Client) (any, error)
	}{
		{"ListWebhooks", "webhooks", page(webhook), func(c *Client) (any, error) { return c.Webhooks.List(ctx, ListWebhooksParams{First: 1}) }},
		{"GetWebhook", "webhook", webhook, func(c *Client) (any, error) { return c.Webhooks.Get(ctx, "w") }},
		{"GetWebhookSecret", "webhookSecret", map[string]any{"webhookId": "w", "secret": "whsec_x", "previousSecretExpiresAt": nil},
			func(c *Client) (any, error) { return c.Webhooks.GetSecret(ctx, "w") }},
		{"CreateWebhook", "createWebhook", map[string]any{"webhook": webhook, "secret": "whsec_x", "subscriptions": []any{sub}},
			func(c *Client) (any, error) { return c.Webhooks.Create(ctx, CreateWebhookParams{Name: "n", URL: "u"}) }},
		{"UpdateWebhook", "updateWebhook", webhook, func(c *Client) (any, error) {
			return c.Webhooks.Update(ctx, "w", UpdateWebhookParams{IsActive: Ptr(false)})
		}},
		{"DeleteWebhook", "deleteWebhook", map[string]any{"deletedWebhookId": "w"}, func(c *Client) (any, error) { return c.Webhooks.Delete(ctx, "w") }},
		{"RotateWebhookSecret", "rotateWebhookSecret", map[string]any{"webhook": webhook, "secret": "whsec_y", "previousSecretExpiresAt": "2026-12-05T19:46:10Z"},
			func(c *Client) (any, error) {
				return c.Webhooks.RotateSecret(ctx, "w", RotateSecretParams{GracePeriodSeconds: Ptr(0)})
			}},
		{"VerifyWebhookEndpoint", "verifyWebhookEndpoint", map[string]any{"webhook": webhook, "verified": true, "delivery": delivery},
			func(c *Client) (any, error) { return c.Webhooks.VerifyEndpoint(ctx, "w") }},
		{"GetWebhookStatistics", "webhookStatistics", map[string]any{
			"webhookId": "w", "periodDays": 30, "totalDeliveries": 3, "successfulDeliveries": 1, "failedDeliveries": 1,
			"pendingDeliveries": 1, "successRate": 0.5, "averageResponseTimeMs": 12.5,
			"byDay":       []any{map[string]any{"date": "2026-12-04", "total": 3, "successful": 1, "failed": 1}},
			"byEventType": []any{map[string]any{"eventType": "video.generated", "total": 3, "successful": 1, "failed": 1}},
		}, func(c *Client) (any, error) { return c.Webhooks.Statistics(ctx, "w", StatisticsParams{Days: 7}) }},
		{"SubscribeWebhookEvents", "subscribeWebhookEvents", []any{sub}, func(c *Client) (any, error) {
			return c.Webhooks.Subscribe(ctx, "w", SubscribeParams{EventTypes: []string{"video.generated"}})
		}},
		{"UnsubscribeWebhookEvents", "unsubscribeWebhookEvents", map[string]any{"webhookId": "w", "removedCount": 1},
			func(c *Client) (any, error) { return c.Webhooks.Unsubscribe(ctx, "w", []string{"video.generated"}) }},
		{"ListEventTypes", "eventTypes", []any{map[string]any{"eventType": "video.generated", "category": "video",
			"description": "d", "payloadSchema": map[string]any{"type": "object"}, "isEnabled": true}},
			func(c *Client) (any, error) { return c.Events.ListTypes(ctx) }},
		{"TriggerWebhookEvent", "triggerWebhookEvent", map[string]any{"eventId": "e", "deliveryCount": 1, "deliveries": []any{delivery}},
			func(c *Client) (any, error) {
				return c.Events.Trigger(ctx, TriggerEventParams{EventType: "video.generated", Payload: map[string]any{"id": 1}})
			}},
		{"SendTestEvent", "sendTestEvent", delivery, func(c *Client) (any, error) { return c.Events.SendTest(ctx, "w") }},
		{"ListDeliveries", "deliveries", page(delivery), func(c *Client) (any, error) {
			return c.Deliveries.List(ctx, ListDeliveriesParams{Status: DeliveryStatusFailed})
		}},
		{"GetDelivery", "delivery", detailed, func(c *Client) (any, error) { return c.Deliveries.Get(ctx, "d") }},
		{"RetryFailedDelivery", "retryFailedDelivery", delivery, func(c *Client) (any, error) { return c.Deliveries.Retry(ctx, "d") }},
		{"ListPendingWebhookRetries", "pendingWebhookRetries", []any{delivery}, func(c *Client) (any, error) {
			return c.Deliveries.PendingRetries(ctx, PendingRetriesParams{Limit: 5})
		}},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			m := newMock(t, func(n int, w http.ResponseWriter, r *recorded) {
				if r.body.OperationName != tt.op {
					t.Errorf("operationName = %q, want %q", r.body.OperationName, tt.op)
				}
				writeJSON(w, 200, map[string]any{"data": map[string]any{tt.field: tt.data}})
			})
			got, err := tt.call(NewClient(m.URL))
			if err != nil {
				t.Fatal(err)
			}
			if !jsonEqual(t, got, tt.data) {
				b, _ := json.Marshal(got)
				w, _ := json.Marshal(tt.data)
				t.Fatalf("result does not round-trip:\n got %s\nwant %s", b, w)
			}
			seen[tt.op] = true
		})
	}
	for _, op := range generatedOperations(t) {
		if !seen[op] {
			t.Errorf("operation %s has no round-trip case", op)
		}
	}
}

func jsonEqual(t *testing.T, a, b any) bool {
	t.Helper()
	var x, y any
	ab, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	bb, _ := json.Marshal(b)
	_ = json.Unmarshal(ab, &x)
	_ = json.Unmarshal(bb, &y)
	return reflect.DeepEqual(x, y)
}
