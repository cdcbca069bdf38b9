package admin

import (
	"context"
	"iter"
)

// DefaultPageSize is the page size of the iterators when the options give
// no Max. It is also Keycloak's own default max for users, groups, role
// members and group members; a group's children default to 10.
const DefaultPageSize = 100

// pages returns an iterator over every item fetch yields, from first on,
// max (or DefaultPageSize) at a time. It holds one page at a time and stops
// after a short page or the first error, which it yields.
func pages[T any](ctx context.Context, first, pageMax int, fetch func(ctx context.Context, first, max int) ([]T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		size := pageMax
		if size <= 0 {
			size = DefaultPageSize
		}
		pos := max(first, 0)
		for {
			page, err := fetch(ctx, pos, size)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			n := len(page)
			for i := range page {
				if !yield(page[i], nil) {
					return
				}
				var zero T
				page[i] = zero // let the item go once yielded
			}
			page = nil
			if n < size {
				return
			}
			pos += n
		}
	}
}
