package oidc

import (
	"encoding/json"
	"errors"
	"fmt"
)

// jwsHeader holds the members of a JWS header the verifier reads. The
// slices point into the decoded header.
type jwsHeader struct {
	alg, kid, typ []byte
	crit          bool
}

var errMalformed = errors.New("malformed")

// errDuplicate is wrapped by the error for a member name given twice in
// one object: parsers disagree on which one counts (RFC 7515 §4, RFC 7519
// §4 allow rejecting it).
var errDuplicate = errors.New("duplicate member")

// memberSet holds the member names of one JSON object, to find one given
// twice: a few in place, a map past that, so that no object costs more
// than linear time.
type memberSet[T string | []byte] struct {
	small [16]T
	n     int
	big   map[string]struct{}
}

// add records name and reports an error wrapping errDuplicate if it was
// there already.
func (m *memberSet[T]) add(name T) error {
	if m.big != nil {
		if _, ok := m.big[string(name)]; ok {
			return fmt.Errorf("%w %q", errDuplicate, name)
		}
		m.big[string(name)] = struct{}{}
		return nil
	}
	for _, k := range m.small[:m.n] {
		if string(k) == string(name) {
			return fmt.Errorf("%w %q", errDuplicate, name)
		}
	}
	if m.n < len(m.small) {
		m.small[m.n] = name
		m.n++
		return nil
	}
	m.big = make(map[string]struct{}, 2*len(m.small))
	for _, k := range m.small {
		m.big[string(k)] = struct{}{}
	}
	m.big[string(name)] = struct{}{}
	return nil
}

// parseHeader reads alg, kid, typ and the presence of crit from a JWS
// header, which must be valid JSON with no member name given twice at any
// depth, without allocating. Headers with escapes in their strings fall
// back to encoding/json.
func parseHeader(b []byte, h *jwsHeader) error {
	if !json.Valid(b) {
		return errMalformed
	}
	var names memberSet[[]byte]
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
		if err := names.add(key); err != nil {
			return err
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
		} else if b[i] == '{' || b[i] == '[' {
			// Nested names must be unique too (a rare header: jwk, crit).
			if _, err := skipJSON(string(b[i:j]), 0, 1); err != nil {
				return err
			}
		}
		switch string(key) {
		case "alg":
			if val == nil {
				return errMalformed
			}
			h.alg = val
		case "kid":
			h.kid = val
		case "typ":
			h.typ = val
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
	if _, err := skipJSON(string(b), skipWS(b, 0), 0); err != nil {
		return err
	}
	var w struct {
		Alg  string          `json:"alg"`
		Kid  string          `json:"kid"`
		Typ  string          `json:"typ"`
		Crit json.RawMessage `json:"crit"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return errMalformed
	}
	h.alg, h.kid, h.typ, h.crit = []byte(w.Alg), []byte(w.Kid), []byte(w.Typ), w.Crit != nil
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

func skipWS[T string | []byte](b T, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString reads the JSON string at b[i] and returns its content, the
// index after it, and whether it holds escapes (then content is raw). It
// refuses control characters and invalid escapes.
func scanString[T string | []byte](b T, i int) (s T, next int, esc bool, err error) {
	if i >= len(b) || b[i] != '"' {
		return s, 0, false, errMalformed
	}
	start := i + 1
	for j := start; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return b[start:j], j + 1, esc, nil
		case c == '\\':
			esc = true
			j++
			if j >= len(b) {
				return s, 0, false, errMalformed
			}
			switch b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(b) || !isHex(b[j+1]) || !isHex(b[j+2]) || !isHex(b[j+3]) || !isHex(b[j+4]) {
					return s, 0, false, errMalformed
				}
				j += 4
			default:
				return s, 0, false, errMalformed
			}
		case c < 0x20:
			return s, 0, false, errMalformed
		}
	}
	return s, 0, false, errMalformed
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// skipValue skips the JSON value (not a string) at b[i].
func skipValue[T string | []byte](b T, i int) (int, error) {
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
