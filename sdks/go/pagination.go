package hookline

import (
	"context"
	"iter"
)

// paginate walks a cursor connection page by page. After an error it yields
// that error once and stops.
func paginate[T any](ctx context.Context, fetch func(ctx context.Context, after string) ([]T, PageInfo, error), after string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for {
			nodes, info, err := fetch(ctx, after)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, n := range nodes {
				if !yield(n, nil) {
					return
				}
			}
			if !info.HasNextPage || info.EndCursor == nil || *info.EndCursor == "" {
				return
			}
			after = *info.EndCursor
		}
	}
}

// ListAll iterates over every webhook from params.After on, fetching pages
// of params.First (server default when 0) as the loop needs them:
//
//	for wh, err := range client.Webhooks.ListAll(ctx, hookline.ListWebhooksParams{}) {
//		if err != nil { return err }
//		fmt.Println(wh.Name)
//	}
func (s *WebhooksService) ListAll(ctx context.Context, params ListWebhooksParams, opts ...CallOption) iter.Seq2[WebhookEndpoint, error] {
	return paginate(ctx, func(ctx context.Context, after string) ([]WebhookEndpoint, PageInfo, error) {
		p := params
		p.After = after
		page, err := s.List(ctx, p, opts...)
		if err != nil {
			return nil, PageInfo{}, err
		}
		nodes := make([]WebhookEndpoint, len(page.Edges))
		for i, e := range page.Edges {
			nodes[i] = e.Node
		}
		return nodes, page.PageInfo, nil
	}, params.After)
}

// ListAll iterates over every delivery matching params, fetching pages as
// the loop needs them (see WebhooksService.ListAll).
func (s *DeliveriesService) ListAll(ctx context.Context, params ListDeliveriesParams, opts ...CallOption) iter.Seq2[Delivery, error] {
	return paginate(ctx, func(ctx context.Context, after string) ([]Delivery, PageInfo, error) {
		p := params
		p.After = after
		page, err := s.List(ctx, p, opts...)
		if err != nil {
			return nil, PageInfo{}, err
		}
		nodes := make([]Delivery, len(page.Edges))
		for i, e := range page.Edges {
			nodes[i] = e.Node
		}
		return nodes, page.PageInfo, nil
	}, params.After)
}
