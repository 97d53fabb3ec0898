package hookline_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	hookline "github.com/hookline/hookline/sdks/go"
)

func ExampleWebhook_Verify() {
	// The secret comes from Webhooks.Create, RotateSecret or GetSecret.
	wh, err := hookline.NewWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		hookline.WithClock(func() time.Time { return time.Unix(1614265330, 0) }))
	if err != nil {
		panic(err)
	}
	headers := http.Header{}
	headers.Set("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
	headers.Set("webhook-timestamp", "1614265330")
	headers.Set("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")

	fmt.Println(wh.Verify([]byte(`{"test": 2432232314}`), headers))

	err = wh.Verify([]byte(`{"test": 1}`), headers)
	var ve *hookline.VerificationError
	fmt.Println(errors.Is(err, hookline.ErrNoMatchingSignature), errors.As(err, &ve) && ve.Reason == hookline.ReasonNoMatchingSignature)
	// Output:
	// <nil>
	// true true
}

func ExampleVerifyMiddleware() {
	wh, _ := hookline.NewWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	handler := hookline.VerifyMiddleware(wh)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body) // the raw body, restored after verification
		fmt.Println("handled", string(body))
		w.WriteHeader(http.StatusNoContent)
	}))
	srv := httptest.NewServer(handler)
	defer srv.Close()

	body := `{"type":"video.generated","data":{"videoId":"vid_1"}}`
	now := time.Now()
	sig, _ := wh.Sign("msg_1", now, []byte(body))
	for _, s := range []string{sig, "v1,forged"} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set("webhook-id", "msg_1")
		req.Header.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
		req.Header.Set("webhook-signature", s)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
	}
	// Output:
	// handled {"type":"video.generated","data":{"videoId":"vid_1"}}
	// 204
	// 401
}

func ExampleNewClient() {
	// A stand-in for the Hookline API.
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer dev-token" {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"errors":[{"message":"bad token","extensions":{"code":"UNAUTHENTICATED"}}]}`)
			return
		}
		io.WriteString(w, `{"data":{"eventTypes":[{"eventType":"video.generated","category":"video","description":null,"payloadSchema":null,"isEnabled":true}]}}`)
	}))
	defer api.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	client := hookline.NewClient(api.URL+"/graphql", hookline.WithToken("dev-token"))
	types, err := client.Events.ListTypes(ctx)
	if err != nil {
		panic(err)
	}
	for _, t := range types {
		fmt.Println(t.EventType, t.IsEnabled)
	}

	_, err = hookline.NewClient(api.URL+"/graphql", hookline.WithToken("wrong")).Events.ListTypes(ctx)
	var apiErr *hookline.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Kind, apiErr.Code, apiErr.StatusCode, errors.Is(err, hookline.ErrAuthentication))
	}
	// Output:
	// video.generated true
	// AuthenticationError UNAUTHENTICATED 401 true
}
