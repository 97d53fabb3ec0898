package hookline

import (
	"context"
	"encoding/json"

	"github.com/hookline/hookline/sdks/go/internal/generated"
)

// EventsService lists event types and emits events. Reach it as Client.Events.
type EventsService struct{ t *transport }

// TriggerEventParams describes an event to fan out.
type TriggerEventParams struct {
	// EventType is a known type such as "video.generated".
	EventType string `json:"eventType"`
	// Payload is the event's data (any JSON-encodable value); subscription
	// filters match against it.
	Payload any `json:"payload"`
	// UserID restricts delivery to that user's webhooks; "" means everyone's.
	UserID string `json:"userId,omitempty"`
}

// ListTypes returns every event type, enabled or not.
func (s *EventsService) ListTypes(ctx context.Context, opts ...CallOption) ([]EventType, error) {
	res, err := call[[]EventType](ctx, opts, "eventTypes", func(ctx context.Context) (any, error) {
		return generated.ListEventTypes(ctx, s.t)
	})
	if err != nil {
		return nil, err
	}
	return *res, nil
}

// Trigger fans an event out to every matching subscription (service role
// only) and returns the deliveries it created.
func (s *EventsService) Trigger(ctx context.Context, params TriggerEventParams, opts ...CallOption) (*TriggerEventResult, error) {
	payload, err := json.Marshal(params.Payload)
	if err != nil {
		return nil, &Error{Kind: KindValidation, Message: "encode payload: " + err.Error(), Err: err}
	}
	return call[TriggerEventResult](ctx, opts, "triggerWebhookEvent", func(ctx context.Context) (any, error) {
		return generated.TriggerWebhookEvent(ctx, s.t, params.EventType, payload, optString(params.UserID))
	})
}

// SendTest queues a webhook.test delivery to a webhook.
func (s *EventsService) SendTest(ctx context.Context, webhookID string, opts ...CallOption) (*Delivery, error) {
	return call[Delivery](ctx, opts, "sendTestEvent", func(ctx context.Context) (any, error) {
		return generated.SendTestEvent(ctx, s.t, webhookID)
	})
}
