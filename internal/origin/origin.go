// Package origin compares the origins of URLs (RFC 6454): where kc may
// send a credential, and where a created resource may be.
package origin

import (
	"net/url"
	"strings"
)

// Same reports whether a and b have the same scheme, host and port, the
// port defaulting to the scheme's.
func Same(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}
