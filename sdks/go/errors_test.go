package hookline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"
)

// The embedded copy must equal the contract; `go generate` refreshes it.
func TestErrorTableMatchesSchema(t *testing.T) {
	schema, err := os.ReadFile("../../schema/errors.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(schema, errorsJSON) {
		t.Fatal("internal/generated/errors.json differs from schema/errors.json: run `go generate ./...` in sdks/go")
	}
}

func TestClassifyEveryCode(t *testing.T) {
	var table struct {
		Codes map[string]struct {
			HTTPStatus int    `json:"httpStatus"`
			Class      string `json:"class"`
			Retryable  bool   `json:"retryable"`
		} `json:"codes"`
	}
	if err := json.Unmarshal(errorsJSON, &table); err != nil {
		t.Fatal(err)
	}
	if len(table.Codes) == 0 {
		t.Fatal("no codes in errors.json")
	}
	for code, c := range table.Codes {
		// The code decides even when the status says otherwise.
		for _, status := range []int{200, c.HTTPStatus, 500} {
			if got := classify(code, status).String(); got != c.Class {
				t.Errorf("classify(%s, %d) = %s, want %s", code, status, got, c.Class)
			}
		}
		e := &Error{Kind: classify(code, c.HTTPStatus), Code: code, StatusCode: c.HTTPStatus}
		if e.retryable() != c.Retryable {
			t.Errorf("%s: retryable = %v, want %v", code, e.retryable(), c.Retryable)
		}
	}
}

func TestClassifyByStatus(t *testing.T) {
	tests := []struct {
		status int
		want   Kind
	}{
		{400, KindValidation}, {401, KindAuthentication}, {403, KindPermissionDenied},
		{404, KindNotFound}, {408, KindNetwork}, {409, KindValidation}, {418, KindValidation},
		{429, KindRateLimit}, {500, KindServer}, {502, KindServer}, {503, KindServer}, {200, KindServer},
	}
	for _, tt := range tests {
		if got := classify("SOME_UNKNOWN_CODE", tt.status); got != tt.want {
			t.Errorf("classify(unknown, %d) = %s, want %s", tt.status, got, tt.want)
		}
	}
}

func TestErrorIsAndAs(t *testing.T) {
	sentinels := map[Kind]error{
		KindValidation: ErrValidation, KindAuthentication: ErrAuthentication,
		KindPermissionDenied: ErrPermissionDenied, KindNotFound: ErrNotFound, KindRateLimit: ErrRateLimit,
		KindServer: ErrServer, KindNetwork: ErrNetwork, KindTimeout: ErrTimeout,
	}
	for kind := range sentinels {
		err := fmt.Errorf("wrapped: %w", &Error{Kind: kind, Err: context.DeadlineExceeded})
		for other, s := range sentinels {
			want := other == kind || (kind == KindTimeout && other == KindNetwork)
			if errors.Is(err, s) != want {
				t.Errorf("errors.Is(%s error, %v) = %v, want %v", kind, s, !want, want)
			}
		}
		var e *Error
		if !errors.As(err, &e) || e.Kind != kind {
			t.Errorf("errors.As did not reach the *Error of kind %s", kind)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: the cause is not reachable with errors.Is", kind)
		}
	}
}

func TestErrorMessage(t *testing.T) {
	e := &Error{Kind: KindRateLimit, Code: "RATE_LIMITED", StatusCode: 429, Message: "slow down"}
	if got, want := e.Error(), "hookline: RateLimitError [RATE_LIMITED] (HTTP 429): slow down"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestVersionComesFromPackageJSON(t *testing.T) {
	if v := Version(); v == "unknown" || v == "" || v[0] < '0' || v[0] > '9' {
		t.Fatalf("Version() = %q", v)
	}
}
