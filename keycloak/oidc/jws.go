package oidc

import (
	"encoding/json"
	"errors"
)

// jwsHeader holds the members of a JWS header the verifier reads. The
// slices point into the decoded header.
type jwsHeader struct {
	alg, kid []byte
	crit     bool
}

var errMalformed = errors.New("malformed")

// parseHeader reads alg, kid and the presence of crit from a JWS header,
// which must be valid JSON, without allocating. Headers with escapes in their strings fall back to
// encoding/json.
func parseHeader(b []byte, h *jwsHeader) error {
	if !json.Valid(b) {
		return errMalformed
	}
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return errMalformed
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return checkEnd(b, i+1)
	}
	for {
		key, j, esc, err := scanString(b, i)
		if err != nil {
			return err
		}
		if esc {
			return parseHeaderSlow(b, h)
		}
		i = skipWS(b, j)
		if i >= len(b) || b[i] != ':' {
			return errMalformed
		}
		i = skipWS(b, i+1)
		var val []byte
		if i < len(b) && b[i] == '"' {
			val, j, esc, err = scanString(b, i)
			if err != nil {
				return err
			}
			if esc {
				return parseHeaderSlow(b, h)
			}
		} else if j, err = skipValue(b, i); err != nil || j == i {
			return errMalformed
		}
		switch string(key) {
		case "alg":
			if val == nil {
				return errMalformed
			}
			h.alg = val
		case "kid":
			h.kid = val
		case "crit":
			h.crit = true
		}
		i = skipWS(b, j)
		if i >= len(b) {
			return errMalformed
		}
		if b[i] == '}' {
			return checkEnd(b, i+1)
		}
		if b[i] != ',' {
			return errMalformed
		}
		i = skipWS(b, i+1)
	}
}

func parseHeaderSlow(b []byte, h *jwsHeader) error {
	var w struct {
		Alg  string          `json:"alg"`
		Kid  string          `json:"kid"`
		Crit json.RawMessage `json:"crit"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return errMalformed
	}
	h.alg, h.kid, h.crit = []byte(w.Alg), []byte(w.Kid), w.Crit != nil
	if w.Alg == "" {
		h.alg = nil
	}
	return nil
}

func checkEnd(b []byte, i int) error {
	if skipWS(b, i) != len(b) {
		return errMalformed
	}
	return nil
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString reads the JSON string at b[i] and returns its content, the
// index after it, and whether it holds escapes (then content is raw).
func scanString(b []byte, i int) (s []byte, next int, esc bool, err error) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false, errMalformed
	}
	start := i + 1
	for j := start; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return b[start:j], j + 1, esc, nil
		case c == '\\':
			esc = true
			j++
		case c < 0x20:
			return nil, 0, false, errMalformed
		}
	}
	return nil, 0, false, errMalformed
}

// skipValue skips the JSON value (not a string) at b[i].
func skipValue(b []byte, i int) (int, error) {
	depth := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			_, j, _, err := scanString(b, i)
			if err != nil {
				return 0, err
			}
			i = j
			if depth == 0 {
				return i, nil
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i, nil
			}
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		case ',':
			if depth == 0 {
				return i, nil
			}
		case ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i, nil
			}
		}
		i++
	}
	if depth != 0 {
		return 0, errMalformed
	}
	return i, nil
}
