package hookline

import (
	"context"

	"github.com/hookline/hookline/sdks/go/internal/generated"
)

// DeliveriesService reads delivery history and retries failed deliveries.
// Reach it as Client.Deliveries.
type DeliveriesService struct{ t *transport }

// ListDeliveriesParams filters and pages the caller's deliveries, newest
// first. Zero-valued fields do not filter.
type ListDeliveriesParams struct {
	WebhookID string         `json:"webhookId,omitempty"`
	Status    DeliveryStatus `json:"status,omitempty"`
	EventType string         `json:"eventType,omitempty"`
	First     int            `json:"first,omitempty"`
	After     string         `json:"after,omitempty"`
}

// PendingRetriesParams bounds the retry queue read.
type PendingRetriesParams struct {
	// Limit is the most deliveries returned (server default 100 when 0).
	Limit int `json:"limit,omitempty"`
}

// List returns one page of deliveries.
func (s *DeliveriesService) List(ctx context.Context, params ListDeliveriesParams, opts ...CallOption) (*DeliveryPage, error) {
	return call[DeliveryPage](ctx, opts, "deliveries", func(ctx context.Context) (any, error) {
		return generated.ListDeliveries(ctx, s.t, optString(params.WebhookID), optString(string(params.Status)),
			optString(params.EventType), optInt(params.First), optString(params.After))
	})
}

// Get returns a delivery with its attempt history.
func (s *DeliveriesService) Get(ctx context.Context, id string, opts ...CallOption) (*DeliveryDetails, error) {
	return call[DeliveryDetails](ctx, opts, "delivery", func(ctx context.Context) (any, error) {
		return generated.GetDelivery(ctx, s.t, id)
	})
}

// Retry queues one more attempt of a failed delivery.
func (s *DeliveriesService) Retry(ctx context.Context, deliveryID string, opts ...CallOption) (*Delivery, error) {
	return call[Delivery](ctx, opts, "retryFailedDelivery", func(ctx context.Context) (any, error) {
		return generated.RetryFailedDelivery(ctx, s.t, deliveryID)
	})
}

// PendingRetries returns deliveries due for an attempt, oldest due first
// (service role only).
func (s *DeliveriesService) PendingRetries(ctx context.Context, params PendingRetriesParams, opts ...CallOption) ([]Delivery, error) {
	res, err := call[[]Delivery](ctx, opts, "pendingWebhookRetries", func(ctx context.Context) (any, error) {
		return generated.ListPendingWebhookRetries(ctx, s.t, optInt(params.Limit))
	})
	if err != nil {
		return nil, err
	}
	return *res, nil
}
