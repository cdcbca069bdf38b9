package kc

// Ptr returns a pointer to v: for the optional fields of request bodies,
// where false, 0 and "" must be sendable.
//
//	admin.UserUpdate{Enabled: kc.Ptr(false)}
func Ptr[T any](v T) *T { return &v }
