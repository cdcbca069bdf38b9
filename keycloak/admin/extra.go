package admin

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Extra holds the fields of a representation that its Go struct does not
// declare, each as the raw JSON Keycloak sent. They are sent back on
// update, so a GET followed by a PUT keeps what a newer Keycloak added.
type Extra map[string]json.RawMessage

// knownFieldsCache holds the result of knownFields per type.
var knownFieldsCache sync.Map // reflect.Type -> map[string]bool

// knownFields returns the JSON names of t's fields (from their tags).
func knownFields(t reflect.Type) map[string]bool {
	if m, ok := knownFieldsCache.Load(t); ok {
		return m.(map[string]bool)
	}
	m := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = true
	}
	knownFieldsCache.Store(t, m)
	return m
}

// isKnown reports whether key names a declared field, matching
// case-insensitively after an exact miss as encoding/json does.
func isKnown(known map[string]bool, key string) bool {
	if known[key] {
		return true
	}
	for k := range known {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// unmarshalWithExtra decodes b into v (a pointer to the plain struct
// type) and returns the members of the top-level object that v's type does
// not declare.
func unmarshalWithExtra(b []byte, v any) (Extra, error) {
	if err := json.Unmarshal(b, v); err != nil {
		return nil, err
	}
	known := knownFields(reflect.TypeOf(v).Elem())
	var extra Extra
	err := scanObject(b, func(rawKey, raw []byte) {
		if known[string(rawKey)] { // no allocation
			return
		}
		key := unquoteKey(rawKey)
		if !isKnown(known, key) {
			if extra == nil {
				extra = Extra{}
			}
			extra[key] = bytes.Clone(raw)
		}
	})
	return extra, err
}

// marshalWithExtra encodes v (the plain struct) and adds the members of
// extra that v's type does not declare, in key order.
func marshalWithExtra(v any, extra Extra) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	known := knownFields(reflect.TypeOf(v).Elem())
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !isKnown(known, k) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return b, nil
	}
	slices.Sort(keys)
	out := b[:len(b)-1] // drop '}'
	empty := len(out) == 1
	for _, k := range keys {
		raw := extra[k]
		if len(raw) == 0 || !json.Valid(raw) {
			continue
		}
		if !empty {
			out = append(out, ',')
		}
		empty = false
		kb, _ := json.Marshal(k)
		out = append(out, kb...)
		out = append(out, ':')
		out = append(out, raw...)
	}
	return append(out, '}'), nil
}

// scanObject calls f with the key (still escaped) and the raw value of each member of the JSON object b, which
// json.Unmarshal has already validated. Anything but an object is
// ignored.
func scanObject(b []byte, f func(rawKey, raw []byte)) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil
	}
	i++
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] == '}' {
			return nil
		}
		if b[i] == ',' {
			i++
			continue
		}
		end := skipString(b, i)
		rawKey := b[i+1 : end-1]
		i = skipSpace(b, end)
		i++ // ':'
		i = skipSpace(b, i)
		vend := skipValue(b, i)
		f(rawKey, b[i:vend])
		i = vend
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] == '"'.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index after the value starting at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	default:
		for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\n' && b[i] != '\t' && b[i] != '\r' {
			i++
		}
		return i
	}
}

// unquoteKey returns the key of a member, its escapes decoded.
func unquoteKey(raw []byte) string {
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw)
	}
	var s string
	q := make([]byte, 0, len(raw)+2)
	q = append(append(append(q, '"'), raw...), '"')
	if json.Unmarshal(q, &s) != nil {
		return string(raw)
	}
	return s
}

// decode moves member key out of e and decodes it into v.
func (e Extra) decode(key string, raw json.RawMessage, v any) error {
	delete(e, key)
	return json.Unmarshal(raw, v)
}
