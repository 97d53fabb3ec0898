// Command producer creates a webhook, triggers an event and reads the
// resulting deliveries through the Hookline API.
//
//	HOOKLINE_URL=http://127.0.0.1:4000/graphql USER_TOKEN=... SERVICE_TOKEN=... \
//	RECEIVER_URL=http://127.0.0.1:8080/webhooks go run ./producer
//
// A user token creates the webhook (it belongs to that user); triggering is
// for the service role. See ../README.md for minting both.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	hookline "github.com/hookline/hookline/sdks/go"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	url := os.Getenv("HOOKLINE_URL")
	user := hookline.NewClient(url, hookline.WithToken(os.Getenv("USER_TOKEN")))
	service := hookline.NewClient(url, hookline.WithToken(os.Getenv("SERVICE_TOKEN")))

	created, err := user.Webhooks.Create(ctx, hookline.CreateWebhookParams{
		Name:       "example receiver",
		URL:        os.Getenv("RECEIVER_URL"),
		EventTypes: []string{"video.generated"},
	})
	if err != nil {
		var apiErr *hookline.Error
		if errors.As(err, &apiErr) && apiErr.Kind == hookline.KindValidation {
			log.Fatalf("invalid webhook: %s (%v)", apiErr.Message, apiErr.GraphQLErrors)
		}
		log.Fatal(err)
	}
	// Hand the secret to the receiver (HOOKLINE_WEBHOOK_SECRET); it is shown
	// only here, on rotation and by Webhooks.GetSecret.
	fmt.Println("webhook", created.Webhook.ID, "secret", created.Secret)

	triggered, err := service.Events.Trigger(ctx, hookline.TriggerEventParams{
		EventType: "video.generated",
		Payload:   map[string]any{"videoId": "vid_1", "quality": "hd"},
		UserID:    created.Webhook.UserID,
	})
	switch {
	case errors.Is(err, hookline.ErrPermissionDenied):
		log.Fatal("triggering needs a service-role token")
	case err != nil:
		log.Fatal(err)
	}
	fmt.Println("event", triggered.EventID, "deliveries", triggered.DeliveryCount)

	time.Sleep(2 * time.Second)
	page, err := user.Deliveries.List(ctx, hookline.ListDeliveriesParams{WebhookID: created.Webhook.ID, First: 10})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range page.Edges {
		fmt.Println("delivery", e.Node.ID, e.Node.Status, e.Node.ResponseStatus)
	}
}
