package hookline

import (
	"encoding/json"
	"time"
)

// The types below are what the services return. Their JSON form is the
// GraphQL shape (field names as in schema/schema.graphql), so they can be
// logged or forwarded as the API returned them.

// SignatureAlgorithm is the HMAC hash a webhook's deliveries are signed with.
type SignatureAlgorithm string

const (
	// SignatureAlgorithmSHA256 is the Standard Webhooks "v1" scheme.
	SignatureAlgorithmSHA256 SignatureAlgorithm = "SHA256"
	// SignatureAlgorithmSHA512 signs "v1-sha512", a Hookline extension.
	SignatureAlgorithmSHA512 SignatureAlgorithm = "SHA512"
)

// DeliveryStatus is the lifecycle state of a delivery.
type DeliveryStatus string

const (
	DeliveryStatusPending  DeliveryStatus = "PENDING"
	DeliveryStatusSuccess  DeliveryStatus = "SUCCESS"
	DeliveryStatusFailed   DeliveryStatus = "FAILED"
	DeliveryStatusRetrying DeliveryStatus = "RETRYING"
)

// PageInfo is the cursor of a page; pass EndCursor as After for the next one.
type PageInfo struct {
	HasNextPage bool    `json:"hasNextPage"`
	EndCursor   *string `json:"endCursor"`
}

// WebhookEndpoint is a webhook: an endpoint that receives signed deliveries. It never carries
// its secret (see WebhooksService.GetSecret).
type WebhookEndpoint struct {
	ID                   string              `json:"id"`
	UserID               string              `json:"userId"`
	Name                 string              `json:"name"`
	URL                  string              `json:"url"`
	Description          *string             `json:"description"`
	SignatureAlgorithm   SignatureAlgorithm  `json:"signatureAlgorithm"`
	IsActive             bool                `json:"isActive"`
	IsVerified           bool                `json:"isVerified"`
	DisabledReason       *string             `json:"disabledReason"`
	RetryEnabled         bool                `json:"retryEnabled"`
	MaxRetries           int                 `json:"maxRetries"`
	RetryDelaySeconds    int                 `json:"retryDelaySeconds"`
	TimeoutSeconds       int                 `json:"timeoutSeconds"`
	TotalDeliveries      int                 `json:"totalDeliveries"`
	SuccessfulDeliveries int                 `json:"successfulDeliveries"`
	FailedDeliveries     int                 `json:"failedDeliveries"`
	LastDeliveryAt       *time.Time          `json:"lastDeliveryAt"`
	LastSuccessAt        *time.Time          `json:"lastSuccessAt"`
	LastFailureAt        *time.Time          `json:"lastFailureAt"`
	Metadata             json.RawMessage     `json:"metadata"`
	CreatedAt            time.Time           `json:"createdAt"`
	UpdatedAt            time.Time           `json:"updatedAt"`
	Subscriptions        []EventSubscription `json:"subscriptions"`
}

// WebhookEdge is one webhook of a page with its cursor.
type WebhookEdge struct {
	Cursor string          `json:"cursor"`
	Node   WebhookEndpoint `json:"node"`
}

// WebhookPage is one page of WebhooksService.List.
type WebhookPage struct {
	Edges    []WebhookEdge `json:"edges"`
	PageInfo PageInfo      `json:"pageInfo"`
}

// WebhookSecret is a webhook's signing secret ("whsec_" + base64).
type WebhookSecret struct {
	WebhookID               string     `json:"webhookId"`
	Secret                  string     `json:"secret"`
	PreviousSecretExpiresAt *time.Time `json:"previousSecretExpiresAt"`
}

// EventSubscription subscribes a webhook to one event type, with an optional
// JSON containment filter.
type EventSubscription struct {
	ID        string          `json:"id"`
	WebhookID string          `json:"webhookId"`
	EventType string          `json:"eventType"`
	Filters   json.RawMessage `json:"filters"`
	IsActive  bool            `json:"isActive"`
	CreatedAt time.Time       `json:"createdAt"`
	UpdatedAt time.Time       `json:"updatedAt"`
}

// EventType is a kind of event the product emits, such as "video.generated".
type EventType struct {
	EventType     string          `json:"eventType"`
	Category      string          `json:"category"`
	Description   *string         `json:"description"`
	PayloadSchema json.RawMessage `json:"payloadSchema"`
	IsEnabled     bool            `json:"isEnabled"`
}

// Delivery is one event sent to one webhook, with its latest attempt's outcome.
// Its ID is the webhook-id header of every attempt.
type Delivery struct {
	ID                    string          `json:"id"`
	WebhookID             string          `json:"webhookId"`
	EventID               string          `json:"eventId"`
	EventType             string          `json:"eventType"`
	Status                DeliveryStatus  `json:"status"`
	RequestURL            string          `json:"requestUrl"`
	RequestMethod         string          `json:"requestMethod"`
	RequestHeaders        json.RawMessage `json:"requestHeaders"`
	RequestPayload        json.RawMessage `json:"requestPayload"`
	RequestSignature      *string         `json:"requestSignature"`
	ResponseStatus        *int            `json:"responseStatus"`
	ResponseHeaders       json.RawMessage `json:"responseHeaders"`
	ResponseBody          *string         `json:"responseBody"`
	ResponseBodyTruncated bool            `json:"responseBodyTruncated"`
	ResponseTimeMs        *int            `json:"responseTimeMs"`
	AttemptNumber         int             `json:"attemptNumber"`
	MaxAttempts           int             `json:"maxAttempts"`
	NextRetryAt           *time.Time      `json:"nextRetryAt"`
	ErrorCode             *string         `json:"errorCode"`
	ErrorMessage          *string         `json:"errorMessage"`
	CreatedAt             time.Time       `json:"createdAt"`
	UpdatedAt             time.Time       `json:"updatedAt"`
}

// DeliveryDetails is a delivery with its attempt history (DeliveriesService.Get).
type DeliveryDetails struct {
	Delivery
	Attempts []DeliveryAttempt `json:"attempts"`
}

// DeliveryAttempt is one past attempt of a delivery.
type DeliveryAttempt struct {
	AttemptNumber  int       `json:"attemptNumber"`
	ResponseStatus *int      `json:"responseStatus"`
	ResponseTimeMs *int      `json:"responseTimeMs"`
	ErrorCode      *string   `json:"errorCode"`
	ErrorMessage   *string   `json:"errorMessage"`
	CreatedAt      time.Time `json:"createdAt"`
}

// DeliveryEdge is one delivery of a page with its cursor.
type DeliveryEdge struct {
	Cursor string   `json:"cursor"`
	Node   Delivery `json:"node"`
}

// DeliveryPage is one page of DeliveriesService.List.
type DeliveryPage struct {
	Edges    []DeliveryEdge `json:"edges"`
	PageInfo PageInfo       `json:"pageInfo"`
}

// CreateWebhookResult is the created webhook and its secret, shown once here.
type CreateWebhookResult struct {
	Webhook       WebhookEndpoint     `json:"webhook"`
	Secret        string              `json:"secret"`
	Subscriptions []EventSubscription `json:"subscriptions"`
}

// DeleteWebhookResult names the deleted webhook.
type DeleteWebhookResult struct {
	DeletedWebhookID string `json:"deletedWebhookId"`
}

// RotateWebhookSecretResult is the new secret; until PreviousSecretExpiresAt
// deliveries are signed with both the new and the previous one.
type RotateWebhookSecretResult struct {
	Webhook                 WebhookEndpoint `json:"webhook"`
	Secret                  string          `json:"secret"`
	PreviousSecretExpiresAt *time.Time      `json:"previousSecretExpiresAt"`
}

// VerifyWebhookEndpointResult says whether the endpoint echoed the challenge.
type VerifyWebhookEndpointResult struct {
	Webhook  WebhookEndpoint `json:"webhook"`
	Verified bool            `json:"verified"`
	Delivery Delivery        `json:"delivery"`
}

// UnsubscribeResult counts the subscriptions removed.
type UnsubscribeResult struct {
	WebhookID    string `json:"webhookId"`
	RemovedCount int    `json:"removedCount"`
}

// TriggerEventResult is the event's id and the deliveries it fanned out to.
type TriggerEventResult struct {
	EventID       string     `json:"eventId"`
	DeliveryCount int        `json:"deliveryCount"`
	Deliveries    []Delivery `json:"deliveries"`
}

// WebhookStatistics are one webhook's delivery figures over PeriodDays days.
type WebhookStatistics struct {
	WebhookID             string                        `json:"webhookId"`
	PeriodDays            int                           `json:"periodDays"`
	TotalDeliveries       int                           `json:"totalDeliveries"`
	SuccessfulDeliveries  int                           `json:"successfulDeliveries"`
	FailedDeliveries      int                           `json:"failedDeliveries"`
	PendingDeliveries     int                           `json:"pendingDeliveries"`
	SuccessRate           float64                       `json:"successRate"`
	AverageResponseTimeMs *float64                      `json:"averageResponseTimeMs"`
	ByDay                 []DailyDeliveryStatistics     `json:"byDay"`
	ByEventType           []EventTypeDeliveryStatistics `json:"byEventType"`
}

// DailyDeliveryStatistics are the figures of one UTC day ("YYYY-MM-DD").
type DailyDeliveryStatistics struct {
	Date       string `json:"date"`
	Total      int    `json:"total"`
	Successful int    `json:"successful"`
	Failed     int    `json:"failed"`
}

// EventTypeDeliveryStatistics are the figures of one event type.
type EventTypeDeliveryStatistics struct {
	EventType  string `json:"eventType"`
	Total      int    `json:"total"`
	Successful int    `json:"successful"`
	Failed     int    `json:"failed"`
}
