package hookline

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind says which of the SDK's error classes an *Error belongs to. The classes
// are the same in every Hookline SDK (see schema/errors.json).
type Kind int

const (
	// KindValidation: the request was rejected as invalid (bad input, invalid
	// GraphQL, an Idempotency-Key conflict).
	KindValidation Kind = iota + 1
	// KindAuthentication: the bearer token is missing, expired or invalid.
	KindAuthentication
	// KindPermissionDenied: the caller's role may not do this.
	KindPermissionDenied
	// KindNotFound: the object does not exist or belongs to someone else.
	KindNotFound
	// KindRateLimit: too many requests; Error.RetryAfter says how long to wait.
	KindRateLimit
	// KindServer: the server failed.
	KindServer
	// KindNetwork: the request did not get a response (connection refused or
	// reset, DNS, an unreadable body, HTTP 408).
	KindNetwork
	// KindTimeout refines KindNetwork: an attempt or the context's deadline
	// ran out. errors.Is(err, ErrNetwork) is true for timeouts too.
	KindTimeout
)

var kindClasses = map[Kind]string{
	KindValidation:       "ValidationError",
	KindAuthentication:   "AuthenticationError",
	KindPermissionDenied: "PermissionDeniedError",
	KindNotFound:         "NotFoundError",
	KindRateLimit:        "RateLimitError",
	KindServer:           "ServerError",
	KindNetwork:          "NetworkError",
	KindTimeout:          "TimeoutError",
}

// String returns the class name shared by all SDKs, e.g. "RateLimitError".
func (k Kind) String() string {
	if s, ok := kindClasses[k]; ok {
		return s
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

func kindFromClass(class string) (Kind, bool) {
	for k, c := range kindClasses {
		if c == class {
			return k, true
		}
	}
	return 0, false
}

// kindError is the type of the sentinels: comparable, with a stable message.
type kindError struct{ kind Kind }

func (e *kindError) Error() string { return "hookline: " + e.kind.String() }

// Sentinels for errors.Is. Every *Error matches the sentinel of its Kind; a
// timeout also matches ErrNetwork.
var (
	ErrValidation       error = &kindError{KindValidation}
	ErrAuthentication   error = &kindError{KindAuthentication}
	ErrPermissionDenied error = &kindError{KindPermissionDenied}
	ErrNotFound         error = &kindError{KindNotFound}
	ErrRateLimit        error = &kindError{KindRateLimit}
	ErrServer           error = &kindError{KindServer}
	ErrNetwork          error = &kindError{KindNetwork}
	ErrTimeout          error = &kindError{KindTimeout}
)

// GraphQLError is one entry of a GraphQL response's "errors" list.
type GraphQLError struct {
	Message    string           `json:"message"`
	Locations  []map[string]int `json:"locations,omitempty"`
	Path       []any            `json:"path,omitempty"`
	Extensions map[string]any   `json:"extensions,omitempty"`
}

// Code returns extensions.code, or "" when there is none.
func (e GraphQLError) Code() string {
	code, _ := e.Extensions["code"].(string)
	return code
}

// Error is every error the client returns for an API call.
type Error struct {
	// Kind is the error's class; see the Kind constants.
	Kind Kind
	// Code is extensions.code of the first GraphQL error, or "".
	Code string
	// StatusCode is the HTTP status of the last response, or 0 without one.
	StatusCode int
	// RequestID is the x-request-id of the last response, or "".
	RequestID string
	// Message is the human-readable description (never a token or secret).
	Message string
	// GraphQLErrors are the errors the server returned, if any.
	GraphQLErrors []GraphQLError
	// PartialData is the "data" that came with the errors, or nil.
	PartialData json.RawMessage
	// RetryAfter is how long the server asked to wait (KindRateLimit only).
	RetryAfter time.Duration
	// Err is the underlying cause (a *url.Error, a context error, ...), or nil.
	Err error
}

// Error formats the error as "hookline: <Class> [<code>] (HTTP n): message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("hookline: ")
	b.WriteString(e.Kind.String())
	if e.Code != "" {
		b.WriteString(" [" + e.Code + "]")
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	return b.String()
}

// Unwrap returns the underlying cause so errors.As reaches *url.Error,
// net.Error or context.DeadlineExceeded.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel of e's Kind (or ErrNetwork for a
// timeout).
func (e *Error) Is(target error) bool {
	t, ok := target.(*kindError)
	if !ok {
		return false
	}
	return t.kind == e.Kind || (e.Kind == KindTimeout && t.kind == KindNetwork)
}

// retryable is SPEC section 6's rule: network errors, timeouts, the listed
// statuses and the retryable codes of errors.json.
func (e *Error) retryable() bool {
	switch e.Kind {
	case KindNetwork, KindTimeout:
		return true
	}
	// A known code decides; the status only when there is none.
	if c, ok := errorTable.Codes[e.Code]; ok {
		return c.Retryable
	}
	for _, s := range errorTable.RetryableStatuses {
		if s == e.StatusCode {
			return true
		}
	}
	return false
}

//go:embed internal/generated/errors.json
var errorsJSON []byte

// errorTable is schema/errors.json, copied by go generate (go:embed cannot
// reach outside the module); TestErrorTableMatchesSchema keeps them equal.
var errorTable = func() (t struct {
	Codes map[string]struct {
		HTTPStatus int    `json:"httpStatus"`
		Class      string `json:"class"`
		Retryable  bool   `json:"retryable"`
	} `json:"codes"`
	StatusFallback    map[string]string `json:"statusFallback"`
	RetryableStatuses []int             `json:"retryableStatuses"`
}) {
	if err := json.Unmarshal(errorsJSON, &t); err != nil {
		panic("hookline: embedded errors.json: " + err.Error())
	}
	return t
}()

// classify picks the Kind by extensions.code first and HTTP status second.
func classify(code string, status int) Kind {
	if c, ok := errorTable.Codes[code]; ok {
		if k, ok := kindFromClass(c.Class); ok {
			return k
		}
	}
	fb := errorTable.StatusFallback
	class, ok := fb[strconv.Itoa(status)]
	switch {
	case ok:
	case status >= 500:
		class = fb["5xx"]
	case status >= 400:
		class = fb["other4xx"]
	default:
		// A GraphQL error with an unknown code on a 2xx response: the
		// server could not do it, and nothing says the request was wrong.
		class = "ServerError"
	}
	if k, ok := kindFromClass(class); ok {
		return k
	}
	return KindServer
}
