package hookline

import (
	"context"
	"encoding/json"

	"github.com/hookline/hookline/sdks/go/internal/generated"
)

// WebhooksService manages webhooks: endpoints, their secrets, subscriptions,
// verification and statistics. Reach it as Client.Webhooks.
type WebhooksService struct{ t *transport }

// ListWebhooksParams pages through the caller's webhooks, newest first.
type ListWebhooksParams struct {
	// First is the page size (server default 20 when 0).
	First int `json:"first,omitempty"`
	// After is the EndCursor of the previous page.
	After string `json:"after,omitempty"`
}

// CreateWebhookParams describes a new webhook. Zero-valued optional fields
// are left out, so the server's defaults apply.
type CreateWebhookParams struct {
	Name string `json:"name"`
	// URL is the receiver's http:// or https:// URL.
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
	// EventTypes are subscribed right away.
	EventTypes []string `json:"eventTypes,omitempty"`
	// Filters is a JSON containment filter applied to those subscriptions.
	Filters any `json:"filters,omitempty"`
	// SignatureAlgorithm defaults to SignatureAlgorithmSHA256.
	SignatureAlgorithm SignatureAlgorithm `json:"signatureAlgorithm,omitempty"`
	// RetryEnabled defaults to true.
	RetryEnabled *bool `json:"retryEnabled,omitempty"`
	// MaxRetries is 0-10, default 3.
	MaxRetries *int `json:"maxRetries,omitempty"`
	// RetryDelaySeconds is 1-3600, default 60.
	RetryDelaySeconds int `json:"retryDelaySeconds,omitempty"`
	// TimeoutSeconds is 1-60, default 30.
	TimeoutSeconds int `json:"timeoutSeconds,omitempty"`
	Metadata       any `json:"metadata,omitempty"`
}

// UpdateWebhookParams changes the fields that are set; nil fields keep their
// value.
type UpdateWebhookParams struct {
	Name               *string             `json:"name,omitempty"`
	URL                *string             `json:"url,omitempty"`
	Description        *string             `json:"description,omitempty"`
	IsActive           *bool               `json:"isActive,omitempty"`
	SignatureAlgorithm *SignatureAlgorithm `json:"signatureAlgorithm,omitempty"`
	RetryEnabled       *bool               `json:"retryEnabled,omitempty"`
	MaxRetries         *int                `json:"maxRetries,omitempty"`
	RetryDelaySeconds  *int                `json:"retryDelaySeconds,omitempty"`
	TimeoutSeconds     *int                `json:"timeoutSeconds,omitempty"`
	Metadata           any                 `json:"metadata,omitempty"`
}

// RotateSecretParams tunes a secret rotation.
type RotateSecretParams struct {
	// GracePeriodSeconds (0-604800, default 86400) is how long the previous
	// secret keeps signing next to the new one.
	GracePeriodSeconds *int `json:"gracePeriodSeconds,omitempty"`
}

// StatisticsParams selects the statistics period.
type StatisticsParams struct {
	// Days is the period, 1-365 (server default 30 when 0).
	Days int `json:"days,omitempty"`
}

// SubscribeParams subscribes a webhook to event types.
type SubscribeParams struct {
	EventTypes []string `json:"eventTypes"`
	// Filters replaces the filters of those subscriptions; nil means {}.
	Filters any `json:"filters,omitempty"`
}

// List returns one page of the caller's webhooks, newest first.
func (s *WebhooksService) List(ctx context.Context, params ListWebhooksParams, opts ...CallOption) (*WebhookPage, error) {
	return call[WebhookPage](ctx, opts, "webhooks", func(ctx context.Context) (any, error) {
		return generated.ListWebhooks(ctx, s.t, optInt(params.First), optString(params.After))
	})
}

// Get returns one of the caller's webhooks (ErrNotFound otherwise).
func (s *WebhooksService) Get(ctx context.Context, id string, opts ...CallOption) (*WebhookEndpoint, error) {
	return call[WebhookEndpoint](ctx, opts, "webhook", func(ctx context.Context) (any, error) {
		return generated.GetWebhook(ctx, s.t, id)
	})
}

// GetSecret returns a webhook's signing secret.
func (s *WebhooksService) GetSecret(ctx context.Context, id string, opts ...CallOption) (*WebhookSecret, error) {
	return call[WebhookSecret](ctx, opts, "webhookSecret", func(ctx context.Context) (any, error) {
		return generated.GetWebhookSecret(ctx, s.t, id)
	})
}

// Create creates a webhook and its subscriptions; the result carries the
// signing secret, which is shown only here, on rotation and by GetSecret.
func (s *WebhooksService) Create(ctx context.Context, params CreateWebhookParams, opts ...CallOption) (*CreateWebhookResult, error) {
	input, err := json.Marshal(params)
	if err != nil {
		return nil, &Error{Kind: KindValidation, Message: "encode params: " + err.Error(), Err: err}
	}
	return call[CreateWebhookResult](ctx, opts, "createWebhook", func(ctx context.Context) (any, error) {
		return generated.CreateWebhook(ctx, s.t, input)
	})
}

// Update changes the fields of params that are set.
func (s *WebhooksService) Update(ctx context.Context, id string, params UpdateWebhookParams, opts ...CallOption) (*WebhookEndpoint, error) {
	input, err := json.Marshal(params)
	if err != nil {
		return nil, &Error{Kind: KindValidation, Message: "encode params: " + err.Error(), Err: err}
	}
	return call[WebhookEndpoint](ctx, opts, "updateWebhook", func(ctx context.Context) (any, error) {
		return generated.UpdateWebhook(ctx, s.t, id, input)
	})
}

// Delete deletes a webhook with its subscriptions and deliveries.
func (s *WebhooksService) Delete(ctx context.Context, id string, opts ...CallOption) (*DeleteWebhookResult, error) {
	return call[DeleteWebhookResult](ctx, opts, "deleteWebhook", func(ctx context.Context) (any, error) {
		return generated.DeleteWebhook(ctx, s.t, id)
	})
}

// RotateSecret gives a webhook a new secret; the previous one keeps signing
// during the grace period, so receivers can switch without dropping events.
func (s *WebhooksService) RotateSecret(ctx context.Context, id string, params RotateSecretParams, opts ...CallOption) (*RotateWebhookSecretResult, error) {
	return call[RotateWebhookSecretResult](ctx, opts, "rotateWebhookSecret", func(ctx context.Context) (any, error) {
		return generated.RotateWebhookSecret(ctx, s.t, id, params.GracePeriodSeconds)
	})
}

// VerifyEndpoint sends a signed webhook.verification challenge now and
// reports whether the endpoint echoed it.
func (s *WebhooksService) VerifyEndpoint(ctx context.Context, id string, opts ...CallOption) (*VerifyWebhookEndpointResult, error) {
	return call[VerifyWebhookEndpointResult](ctx, opts, "verifyWebhookEndpoint", func(ctx context.Context) (any, error) {
		return generated.VerifyWebhookEndpoint(ctx, s.t, id)
	})
}

// Statistics returns a webhook's delivery statistics.
func (s *WebhooksService) Statistics(ctx context.Context, webhookID string, params StatisticsParams, opts ...CallOption) (*WebhookStatistics, error) {
	return call[WebhookStatistics](ctx, opts, "webhookStatistics", func(ctx context.Context) (any, error) {
		return generated.GetWebhookStatistics(ctx, s.t, webhookID, optInt(params.Days))
	})
}

// Subscribe subscribes a webhook to event types (re-activating and replacing
// the filters of existing subscriptions).
func (s *WebhooksService) Subscribe(ctx context.Context, webhookID string, params SubscribeParams, opts ...CallOption) ([]EventSubscription, error) {
	filters, err := marshalOptional(params.Filters)
	if err != nil {
		return nil, err
	}
	eventTypes := params.EventTypes
	if eventTypes == nil {
		eventTypes = []string{}
	}
	res, err := call[[]EventSubscription](ctx, opts, "subscribeWebhookEvents", func(ctx context.Context) (any, error) {
		return generated.SubscribeWebhookEvents(ctx, s.t, webhookID, eventTypes, filters)
	})
	if err != nil {
		return nil, err
	}
	return *res, nil
}

// Unsubscribe removes a webhook's subscriptions to event types.
func (s *WebhooksService) Unsubscribe(ctx context.Context, webhookID string, eventTypes []string, opts ...CallOption) (*UnsubscribeResult, error) {
	if eventTypes == nil {
		eventTypes = []string{}
	}
	return call[UnsubscribeResult](ctx, opts, "unsubscribeWebhookEvents", func(ctx context.Context) (any, error) {
		return generated.UnsubscribeWebhookEvents(ctx, s.t, webhookID, eventTypes)
	})
}
