package kctest

import (
	"strconv"
	"strings"
)

// reservedRealmChars are the characters Keycloak refuses in a realm name
// and id: RFC 3986's reserved characters and the backslash
// (ReservedCharValidator.RESERVED_CHARS_PATTERN). A name such as "a/b" or
// "../x" would otherwise give URLs that lead to another resource.
const reservedRealmChars = `:/?#@!$&()*+,;=[]\`

// reservedCharError returns ReservedCharValidator.validate's message for
// the first reserved character of s ("Character '/' not allowed."), or ""
// when s has none.
func reservedCharError(s string) string {
	i := strings.IndexAny(s, reservedRealmChars)
	if i < 0 {
		return ""
	}
	return "Character '" + s[i:i+1] + "' not allowed."
}

// realmNameError is a realm id or name with a reserved character.
type realmNameError struct {
	what, value, msg string
}

func (e *realmNameError) Error() string {
	return "kctest: realm " + e.what + " " + strconv.Quote(e.value) + ": " + e.msg
}
