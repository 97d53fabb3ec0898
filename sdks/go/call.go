package hookline

import (
	"context"
	"encoding/json"
)

// call runs one generated operation and converts its root field into the
// handwritten result type R. The generated response marshals back to the
// GraphQL shape, which R mirrors; TestResultsRoundTrip checks nothing is lost.
func call[R any](ctx context.Context, opts []CallOption, field string, run func(ctx context.Context) (any, error)) (*R, error) {
	resp, err := run(withCallOptions(ctx, opts))
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(resp)
	if err != nil {
		return nil, &Error{Kind: KindServer, Message: "convert response: " + err.Error(), Err: err}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, &Error{Kind: KindServer, Message: "convert response: " + err.Error(), Err: err}
	}
	out := new(R)
	if err := json.Unmarshal(fields[field], out); err != nil {
		return nil, &Error{Kind: KindServer, Message: "convert response: " + err.Error(), Err: err}
	}
	return out, nil
}

// marshalOptional encodes v, or returns nil when v is nil.
func marshalOptional(v any) (*json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, &Error{Kind: KindValidation, Message: "encode JSON argument: " + err.Error(), Err: err}
	}
	m := json.RawMessage(raw)
	return &m, nil
}

func optInt(v int) *int {
	if v == 0 {
		return nil
	}
	return &v
}

func optString(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}
