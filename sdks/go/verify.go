package hookline

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"hash"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Standard Webhooks header names.
const (
	HeaderWebhookID        = "webhook-id"
	HeaderWebhookTimestamp = "webhook-timestamp"
	HeaderWebhookSignature = "webhook-signature"
)

// DefaultTolerance is how far a webhook's timestamp may be from the clock,
// in either direction.
const DefaultTolerance = 5 * time.Minute

const secretPrefix = "whsec_"

var strictBase64 = base64.StdEncoding.Strict()

// VerificationReason names why a webhook failed verification; the strings
// are the same in every Hookline SDK.
type VerificationReason string

const (
	ReasonMissingHeader       VerificationReason = "missing_header"
	ReasonInvalidTimestamp    VerificationReason = "invalid_timestamp"
	ReasonTimestampTooOld     VerificationReason = "timestamp_too_old"
	ReasonTimestampTooNew     VerificationReason = "timestamp_too_new"
	ReasonNoMatchingSignature VerificationReason = "no_matching_signature"
	ReasonInvalidSecret       VerificationReason = "invalid_secret"
)

// Sentinels wrapped by *VerificationError, one per reason, for errors.Is.
var (
	ErrMissingHeaders      = errors.New("missing webhook-id, webhook-timestamp or webhook-signature header")
	ErrInvalidTimestamp    = errors.New("webhook-timestamp is not a unix timestamp in seconds")
	ErrTimestampTooOld     = errors.New("webhook timestamp is older than the tolerance")
	ErrTimestampTooNew     = errors.New("webhook timestamp is further in the future than the tolerance")
	ErrNoMatchingSignature = errors.New("no signature matches the payload and secret")
	ErrInvalidSecret       = errors.New(`webhook secret is neither "whsec_" + base64 nor base64`)
)

var reasonErrors = map[VerificationReason]error{
	ReasonMissingHeader:       ErrMissingHeaders,
	ReasonInvalidTimestamp:    ErrInvalidTimestamp,
	ReasonTimestampTooOld:     ErrTimestampTooOld,
	ReasonTimestampTooNew:     ErrTimestampTooNew,
	ReasonNoMatchingSignature: ErrNoMatchingSignature,
	ReasonInvalidSecret:       ErrInvalidSecret,
}

// VerificationError is the error of a failed verification (or of a bad
// secret at construction). errors.Is matches its reason's sentinel.
type VerificationError struct {
	Reason VerificationReason
	Err    error
}

func verificationError(r VerificationReason) *VerificationError {
	return &VerificationError{Reason: r, Err: reasonErrors[r]}
}

// Error describes the failure; it never contains a secret or signature.
func (e *VerificationError) Error() string {
	return "hookline: webhook verification failed (" + string(e.Reason) + "): " + e.Err.Error()
}

// Unwrap returns the reason's sentinel.
func (e *VerificationError) Unwrap() error { return e.Err }

// Webhook verifies and signs Standard Webhooks deliveries with one or more
// secrets. It is safe for concurrent use.
type Webhook struct {
	keys      [][]byte
	tolerance int64 // seconds
	now       func() time.Time
	algorithm SignatureAlgorithm
}

// WebhookOption configures a Webhook.
type WebhookOption func(*Webhook)

// WithTolerance sets how far the timestamp may be from the clock (default 5
// minutes), in whole seconds. A timestamp exactly that far is accepted.
func WithTolerance(d time.Duration) WebhookOption {
	return func(wh *Webhook) { wh.tolerance = int64(d / time.Second) }
}

// WithClock replaces time.Now, for tests and replays.
func WithClock(now func() time.Time) WebhookOption {
	return func(wh *Webhook) { wh.now = now }
}

// WithSignatureAlgorithm sets what Sign produces: "v1," (SHA256, default) or
// "v1-sha512,". Verify accepts both whatever this says.
func WithSignatureAlgorithm(alg SignatureAlgorithm) WebhookOption {
	return func(wh *Webhook) { wh.algorithm = alg }
}

// NewWebhook returns a verifier for secret ("whsec_" + base64, as the API
// returns it, or bare base64).
func NewWebhook(secret string, opts ...WebhookOption) (*Webhook, error) {
	return NewWebhookWithSecrets([]string{secret}, opts...)
}

// NewWebhookWithSecrets accepts a delivery signed with any of secrets, e.g.
// the new and the previous secret during a rotation. Sign uses the first.
func NewWebhookWithSecrets(secrets []string, opts ...WebhookOption) (*Webhook, error) {
	if len(secrets) == 0 {
		return nil, verificationError(ReasonInvalidSecret)
	}
	wh := &Webhook{
		tolerance: int64(DefaultTolerance / time.Second),
		now:       time.Now,
		algorithm: SignatureAlgorithmSHA256,
	}
	for _, s := range secrets {
		key, err := decodeSecret(s)
		if err != nil {
			return nil, err
		}
		wh.keys = append(wh.keys, key)
	}
	for _, o := range opts {
		o(wh)
	}
	return wh, nil
}

func decodeSecret(s string) ([]byte, error) {
	s = strings.TrimPrefix(s, secretPrefix)
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil || len(key) == 0 {
		return nil, verificationError(ReasonInvalidSecret)
	}
	return key, nil
}

// Verify checks payload, the raw request body exactly as received, against
// the webhook-id, webhook-timestamp and webhook-signature headers (any case).
// It returns nil or a *VerificationError.
func (wh *Webhook) Verify(payload []byte, headers http.Header) error {
	id := headerValue(headers, HeaderWebhookID)
	ts := headerValue(headers, HeaderWebhookTimestamp)
	sigs := headerValue(headers, HeaderWebhookSignature)
	if id == "" || ts == "" || sigs == "" {
		return verificationError(ReasonMissingHeader)
	}
	t, ok := parseUnixSeconds(ts)
	if !ok {
		return verificationError(ReasonInvalidTimestamp)
	}
	now := wh.now().Unix()
	if now-t > wh.tolerance {
		return verificationError(ReasonTimestampTooOld)
	}
	if t-now > wh.tolerance {
		return verificationError(ReasonTimestampTooNew)
	}

	// Each algorithm's MACs are computed at most once, when a signature of
	// that version appears.
	var mac256, mac512 [][]byte
	var decoded [sha512.Size + 2]byte
	for _, entry := range strings.Split(sigs, " ") {
		version, sig, found := strings.Cut(entry, ",")
		if !found {
			continue
		}
		var macs *[][]byte
		var newHash func() hash.Hash
		switch version {
		case "v1":
			macs, newHash = &mac256, sha256.New
		case "v1-sha512":
			macs, newHash = &mac512, sha512.New
		default:
			continue
		}
		// One canonical spelling per MAC: the decoder would skip CR/LF and
		// accept non-zero padding bits.
		if strictBase64.DecodedLen(len(sig)) > len(decoded) || strings.ContainsAny(sig, "\r\n") {
			continue
		}
		n, err := strictBase64.Decode(decoded[:], []byte(sig))
		if err != nil {
			continue
		}
		if *macs == nil {
			for _, key := range wh.keys {
				*macs = append(*macs, computeMAC(newHash, key, id, ts, payload))
			}
		}
		for _, m := range *macs {
			if hmac.Equal(m, decoded[:n]) {
				return nil
			}
		}
	}
	return verificationError(ReasonNoMatchingSignature)
}

// Sign returns the webhook-signature value for a message with the first
// secret: "v1,<base64>" (or "v1-sha512,<base64>").
func (wh *Webhook) Sign(msgID string, timestamp time.Time, payload []byte) (string, error) {
	if len(wh.keys) == 0 {
		return "", verificationError(ReasonInvalidSecret)
	}
	ts := strconv.FormatInt(timestamp.Unix(), 10)
	if wh.algorithm == SignatureAlgorithmSHA512 {
		return "v1-sha512," + base64.StdEncoding.EncodeToString(computeMAC(sha512.New, wh.keys[0], msgID, ts, payload)), nil
	}
	return "v1," + base64.StdEncoding.EncodeToString(computeMAC(sha256.New, wh.keys[0], msgID, ts, payload)), nil
}

// computeMAC is the HMAC of "<id>.<timestamp>.<payload>", written in pieces
// so the payload is never copied.
func computeMAC(newHash func() hash.Hash, key []byte, id, ts string, payload []byte) []byte {
	h := hmac.New(newHash, key)
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(payload)
	return h.Sum(nil)
}

// headerValue reads a header in any case, also from maps built by hand with
// non-canonical keys.
func headerValue(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	for k, vs := range h {
		if len(vs) > 0 && strings.EqualFold(k, name) {
			return vs[0]
		}
	}
	return ""
}

// parseUnixSeconds accepts base-10 digits only (no sign, space or fraction).
func parseUnixSeconds(s string) (int64, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	t, err := strconv.ParseInt(s, 10, 64)
	return t, err == nil
}
