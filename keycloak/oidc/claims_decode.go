package oidc

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// decodeClaims fills c from payload, a JWT claims set, without
// encoding/json on the common path; s is string(payload), and the claims'
// strings are substrings of it, so they share one allocation. payload
// must be one JSON object, valid as encoding/json sees it (the decoder
// validates as it goes: strings, escapes, numbers, literals, nesting up to
// encoding/json's depth limit). Claim names are matched exactly (RFC 7519
// §10.1.1: they are case-sensitive); a member name given twice in one
// object, at any depth, is an error (after unescaping: "\u0073ub" is
// "sub"); null leaves a field as it is, except aud, groups, allowed-origins
// and resource_access, which null empties. A claim of the wrong JSON type
// is an error. Strings with escapes or invalid UTF-8 are decoded by
// encoding/json.
func decodeClaims(payload []byte, s string, c *Claims) error {
	i := skipWS(s, 0)
	if i >= len(s) || s[i] != '{' {
		return errors.New("claims are not a JSON object")
	}
	end, err := decodeObject(s, i, func(key string, i int) (int, error) { return c.decodeClaim(key, s, i) })
	if err != nil {
		return err
	}
	if skipWS(s, end) != len(s) {
		return errors.New("data after the claims object")
	}
	return nil
}

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

// skipJSON skips the JSON value at s[i], validating it, and returns the
// index after it. depth is the nesting depth of the value's container.
func skipJSON(s string, i, depth int) (int, error) {
	if i >= len(s) {
		return 0, errMalformed
	}
	switch c := s[i]; {
	case c == '"':
		_, next, _, err := scanString(s, i)
		return next, err
	case c == '{' || c == '[':
		if depth+1 > maxDepth {
			return 0, errors.New("nested too deeply")
		}
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		i = skipWS(s, i+1)
		if i < len(s) && s[i] == end {
			return i + 1, nil
		}
		var names memberSet[string]
		for {
			var err error
			if c == '{' {
				var key string
				if key, i, err = readString(s, i); err != nil {
					return 0, err
				}
				if err = names.add(key); err != nil {
					return 0, err
				}
				if i = skipWS(s, i); i >= len(s) || s[i] != ':' {
					return 0, errMalformed
				}
				i = skipWS(s, i+1)
			}
			if i, err = skipJSON(s, i, depth+1); err != nil {
				return 0, err
			}
			if i = skipWS(s, i); i >= len(s) {
				return 0, errMalformed
			}
			switch s[i] {
			case end:
				return i + 1, nil
			case ',':
				i = skipWS(s, i+1)
			default:
				return 0, errMalformed
			}
		}
	case c == '-' || '0' <= c && c <= '9':
		return scanNumber(s, i)
	case strings.HasPrefix(s[i:], "true") || strings.HasPrefix(s[i:], "null"):
		return i + 4, nil
	case strings.HasPrefix(s[i:], "false"):
		return i + 5, nil
	}
	return 0, errMalformed
}

// scanNumber returns the index after the JSON number at s[i]:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func scanNumber(s string, i int) (int, error) {
	digits := func(i int) int {
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digits(i + 1)
	default:
		return 0, errors.New("not a number")
	}
	if i < len(s) && s[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return 0, errors.New("not a number")
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return 0, errors.New("not a number")
		}
		i = j
	}
	return i, nil
}

// decodeObject calls member for each member of the JSON object at s[i],
// with the member's name and the index of its value; member returns the
// index after the value. A name given twice is an error wrapping
// errDuplicate.
func decodeObject(s string, i int, member func(key string, i int) (int, error)) (int, error) {
	i = skipWS(s, i+1)
	if i < len(s) && s[i] == '}' {
		return i + 1, nil
	}
	var names memberSet[string]
	for {
		key, j, err := readString(s, i)
		if err != nil {
			return 0, err
		}
		if err := names.add(key); err != nil {
			return 0, err
		}
		i = skipWS(s, j)
		if i >= len(s) || s[i] != ':' {
			return 0, errMalformed
		}
		if i, err = member(key, skipWS(s, i+1)); err != nil {
			return 0, err
		}
		i = skipWS(s, i)
		if i >= len(s) {
			return 0, errMalformed
		}
		switch s[i] {
		case '}':
			return i + 1, nil
		case ',':
			i = skipWS(s, i+1)
		default:
			return 0, errMalformed
		}
	}
}

func (c *Claims) decodeClaim(key, s string, i int) (int, error) {
	var err error
	next := i
	switch key {
	case "iss":
		next, err = readStringField(s, i, &c.Issuer)
	case "sub":
		next, err = readStringField(s, i, &c.Subject)
	case "aud":
		next, err = readAudience(s, i, &c.Audience)
	case "exp":
		next, err = readDate(s, i, &c.Expiry)
	case "nbf":
		next, err = readDate(s, i, &c.NotBefore)
	case "iat":
		next, err = readDate(s, i, &c.IssuedAt)
	case "auth_time":
		next, err = readDate(s, i, &c.AuthTime)
	case "jti":
		next, err = readStringField(s, i, &c.ID)
	case "typ":
		next, err = readStringField(s, i, &c.Type)
	case "azp":
		next, err = readStringField(s, i, &c.AuthorizedParty)
	case "sid":
		next, err = readStringField(s, i, &c.SessionID)
	case "nonce":
		next, err = readStringField(s, i, &c.Nonce)
	case "acr":
		next, err = readStringField(s, i, &c.ACR)
	case "scope":
		next, err = readStringField(s, i, &c.Scope)
	case "client_id":
		next, err = readStringField(s, i, &c.ClientID)
	case "at_hash":
		next, err = readStringField(s, i, &c.AccessTokenHash)
	case "preferred_username":
		next, err = readStringField(s, i, &c.PreferredUsername)
	case "email":
		next, err = readStringField(s, i, &c.Email)
	case "email_verified":
		next, err = readBool(s, i, &c.EmailVerified)
	case "name":
		next, err = readStringField(s, i, &c.Name)
	case "given_name":
		next, err = readStringField(s, i, &c.GivenName)
	case "family_name":
		next, err = readStringField(s, i, &c.FamilyName)
	case "realm_access":
		next, err = readAccess(s, i, 2, &c.RealmAccess)
	case "resource_access":
		next, err = readResourceAccess(s, i, &c.ResourceAccess)
	case "groups":
		next, err = readStringList(s, i, &c.Groups)
	case "allowed-origins":
		next, err = readStringList(s, i, &c.AllowedOrigins)
	default:
		next, err = skipJSON(s, i, 1)
	}
	if err != nil {
		return 0, fmt.Errorf("claim %q: %w", key, err)
	}
	return next, nil
}

var (
	errNotString = errors.New("not a string")
	errNotList   = errors.New("not an array of strings")
	errNotObject = errors.New("not an object")
)

// readString reads the JSON string at s[i]: a substring of s unless it
// has escapes or invalid UTF-8, which encoding/json decodes.
func readString(s string, i int) (string, int, error) {
	v, next, esc, err := scanString(s, i)
	if err != nil {
		return "", 0, err
	}
	if !esc && utf8.ValidString(v) {
		return v, next, nil
	}
	var out string
	if err := json.Unmarshal([]byte(s[i:next]), &out); err != nil {
		return "", 0, err
	}
	return out, next, nil
}

// isNull reports whether s[i:] starts with the literal null.
func isNull(s string, i int) bool { return strings.HasPrefix(s[i:], "null") }

func readStringField(s string, i int, dst *string) (int, error) {
	if i < len(s) && s[i] == '"' {
		v, next, err := readString(s, i)
		if err == nil {
			*dst = v
		}
		return next, err
	}
	if isNull(s, i) {
		return i + 4, nil
	}
	return 0, errNotString
}

func readBool(s string, i int, dst *bool) (int, error) {
	switch {
	case strings.HasPrefix(s[i:], "true"):
		*dst = true
		return i + 4, nil
	case strings.HasPrefix(s[i:], "false"):
		*dst = false
		return i + 5, nil
	case isNull(s, i):
		return i + 4, nil
	}
	return 0, errors.New("not a boolean")
}

func readDate(s string, i int, dst *NumericDate) (int, error) {
	if isNull(s, i) {
		return i + 4, nil
	}
	next, err := scanNumber(s, i)
	if err != nil {
		return 0, err
	}
	d, err := parseNumericDate(s[i:next])
	if err != nil {
		return 0, err
	}
	*dst = d
	return next, nil
}

// parseNumericDate parses a JSON number: an integer, or a number with a
// fraction or an exponent, truncated to seconds.
func parseNumericDate(n string) (NumericDate, error) {
	if !strings.ContainsAny(n, ".eE") {
		if v, err := strconv.ParseInt(n, 10, 64); err == nil {
			return NumericDate(v), nil
		}
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil {
		return 0, err
	}
	return NumericDate(f), nil
}

func readAudience(s string, i int, dst *Audience) (int, error) {
	if i < len(s) && s[i] == '"' {
		v, next, err := readString(s, i)
		if err == nil {
			*dst = Audience{v}
		}
		return next, err
	}
	var l []string
	next, err := readStringList(s, i, &l)
	if err == nil {
		*dst = l
	}
	return next, err
}

// readStringList reads an array of strings (null elements are "") or
// null (nil) into dst.
func readStringList(s string, i int, dst *[]string) (int, error) {
	if isNull(s, i) {
		*dst = nil
		return i + 4, nil
	}
	if i >= len(s) || s[i] != '[' {
		return 0, errNotList
	}
	// Count the elements first, to allocate once.
	n, j := 0, skipWS(s, i+1)
	if j < len(s) && s[j] != ']' {
		for {
			switch {
			case j < len(s) && s[j] == '"':
				_, next, _, err := scanString(s, j)
				if err != nil {
					return 0, err
				}
				j = next
			case j < len(s) && isNull(s, j):
				j += 4
			default:
				return 0, errNotList
			}
			n++
			j = skipWS(s, j)
			if j < len(s) && s[j] == ',' {
				j = skipWS(s, j+1)
				continue
			}
			if j < len(s) && s[j] == ']' {
				break
			}
			return 0, errNotList
		}
	}
	l := make([]string, n)
	j = skipWS(s, i+1)
	for k := range l {
		if s[j] == '"' {
			v, next, err := readString(s, j)
			if err != nil {
				return 0, err
			}
			l[k], j = v, next
		} else {
			j += 4 // null
		}
		j = skipWS(s, j)
		if s[j] == ',' {
			j = skipWS(s, j+1)
		}
	}
	*dst = l
	return skipWS(s, j) + 1, nil
}

// readAccess reads {"roles": [...]} into dst, ignoring other members;
// depth is the object's nesting depth.
func readAccess(s string, i, depth int, dst *Access) (int, error) {
	if isNull(s, i) {
		return i + 4, nil
	}
	if i >= len(s) || s[i] != '{' {
		return 0, errNotObject
	}
	return decodeObject(s, i, func(key string, i int) (int, error) {
		if key == "roles" {
			return readStringList(s, i, &dst.Roles)
		}
		return skipJSON(s, i, depth)
	})
}

func readResourceAccess(s string, i int, dst *map[string]Access) (int, error) {
	if isNull(s, i) {
		*dst = nil
		return i + 4, nil
	}
	if i >= len(s) || s[i] != '{' {
		return 0, errNotObject
	}
	m := *dst
	if m == nil {
		// Count the members to size the map once.
		n := 0
		if _, err := decodeObject(s, i, func(_ string, i int) (int, error) { n++; return skipJSON(s, i, 1) }); err != nil {
			return 0, err
		}
		m = make(map[string]Access, n)
	}
	next, err := decodeObject(s, i, func(key string, i int) (int, error) {
		a := m[key]
		next, err := readAccess(s, i, 3, &a)
		m[key] = a
		return next, err
	})
	if err != nil {
		return 0, err
	}
	*dst = m
	return next, nil
}
