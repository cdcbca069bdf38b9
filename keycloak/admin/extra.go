package admin

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// Extra holds the fields of a representation that its Go struct does not
// declare, each as the raw JSON Keycloak sent. They are sent back on
// update, so a GET followed by a PUT keeps what a newer Keycloak added.
type Extra map[string]json.RawMessage

// fieldSet is the set of JSON member names a struct type declares.
type fieldSet struct {
	exact map[string]bool
	names []string
}

// has reports whether the member whose key is rawKey (as in the JSON
// text, escapes undecoded) names a declared field. Like encoding/json it
// matches exactly first, then case-insensitively. A declared key spelled
// as declared costs no allocation.
func (s *fieldSet) has(rawKey []byte) bool {
	if s.exact[string(rawKey)] { // no allocation
		return true
	}
	return s.hasName(unquoteKey(rawKey))
}

// hasName reports whether key (decoded) names a declared field.
func (s *fieldSet) hasName(key string) bool {
	if s.exact[key] {
		return true
	}
	for _, n := range s.names {
		if strings.EqualFold(n, key) {
			return true
		}
	}
	return false
}

// knownFieldsCache holds the result of knownFields per type.
var knownFieldsCache sync.Map // reflect.Type -> *fieldSet

// knownFields returns the JSON names of t's fields (from their tags),
// computed once per type.
func knownFields(t reflect.Type) *fieldSet {
	if s, ok := knownFieldsCache.Load(t); ok {
		return s.(*fieldSet)
	}
	s := &fieldSet{exact: map[string]bool{}}
	for i := range t.NumField() {
		name, _, ok := memberName(t.Field(i))
		if !ok {
			continue
		}
		s.exact[name] = true
		s.names = append(s.names, name)
	}
	v, _ := knownFieldsCache.LoadOrStore(t, s)
	return v.(*fieldSet)
}

// memberName returns the JSON member name of field f, from its tag or
// else its Go name, and the tag's options; ok is false for a field
// encoding/json leaves out (unexported, or tagged "-").
func memberName(f reflect.StructField) (name, opts string, ok bool) {
	tag := f.Tag.Get("json")
	if !f.IsExported() || tag == "-" {
		return "", "", false
	}
	name, opts, _ = strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, opts, true
}

// fieldsOf returns the JSON names P declares.
func fieldsOf[P any]() *fieldSet { return knownFields(reflect.TypeFor[P]()) }

// unknownMembers returns copies of the members of the JSON object b whose
// keys known does not declare, or nil when there are none (then it
// allocates nothing). b must be valid JSON; anything but an object has no
// members.
func unknownMembers(b []byte, known *fieldSet) Extra {
	var extra Extra
	scanObject(b, func(rawKey, raw []byte) {
		if known.exact[string(rawKey)] { // no allocation
			return
		}
		key := unquoteKey(rawKey)
		if known.hasName(key) {
			return
		}
		if extra == nil {
			extra = Extra{}
		}
		extra[key] = bytes.Clone(raw)
	})
	return extra
}

// decodeInto replaces *p with the object b: it decodes b once with
// encoding/json into *p (P is a representation's plain type, without
// UnmarshalJSON) and sets *extra, a field of *p, to the members P does not
// declare. On error *p is left partly decoded, as encoding/json leaves it.
func decodeInto[P any](b []byte, p *P, extra *Extra) error {
	var zero P
	*p = zero
	if fastObject(b, p, extra) {
		return nil // *extra is set
	}
	*p = zero
	if err := unmarshal(b, p); err != nil {
		return err
	}
	*extra = unknownMembers(b, fieldsOf[P]())
	return nil
}

// marshalWithExtra encodes v (the plain struct) and adds the members of
// extra that v's type does not declare, in key order. Without extra it is
// json.Marshal(v).
func marshalWithExtra(v any, extra Extra) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	known := knownFields(reflect.TypeOf(v).Elem())
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !known.hasName(k) {
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

// maxPooled bounds the input unmarshal decodes with a pooled decoder, and
// so the buffer a pooled decoder keeps.
const maxPooled = 256 << 10

// pooledDecoder is a json.Decoder reading one input at a time.
type pooledDecoder struct {
	r    bytes.Reader
	dec  *json.Decoder
	read int64 // bytes of the inputs before the current one
}

var decoders = sync.Pool{New: func() any {
	d := &pooledDecoder{}
	d.dec = json.NewDecoder(&d.r)
	return d
}}

// unmarshal is json.Unmarshal(b, v) for a representation's UnmarshalJSON,
// which encoding/json hands the exact bytes of one value. json.Unmarshal
// allocates a decoder state and its parse stack on every call; a pooled
// json.Decoder keeps both, so decoding a representation nested in a
// response costs no more allocations than decoding its plain form. Any
// error, and any input that is not exactly one value, is left to
// json.Unmarshal, so the errors (and their offsets) are its own.
func unmarshal(b []byte, v any) error {
	b = bytes.Trim(b, " \t\r\n")
	if len(b) == 0 || len(b) > maxPooled {
		return json.Unmarshal(b, v)
	}
	d := decoders.Get().(*pooledDecoder)
	d.r.Reset(b)
	err := d.dec.Decode(v)
	end := d.dec.InputOffset() - d.read
	d.r.Reset(nil)
	if err != nil || end != int64(len(b)) {
		return json.Unmarshal(b, v) // d, in an unknown state, is dropped
	}
	d.read += int64(len(b))
	decoders.Put(d)
	return nil
}

// plainOf is the constraint of a representation T's plain type P (the
// same struct without the JSON methods), seen through PP = *P.
type plainOf[T, P any] interface {
	*P
	rep() *T       // the same memory as the representation
	extra() *Extra // its Extra field
}

// list is a JSON array of representations T that decodes in one pass:
// fastList reads the bytes once, from a plan of P's fields, straight into
// a slice sized from the first element, which is the result (P and T
// share their memory layout), not a copy of it; members P does not
// declare go to each element's Extra as they are met. What fastList
// leaves to encoding/json (see fastdecode.go) is decoded by decodeSlow:
// encoding/json into the plain type P, then a scan for Extra.
type list[T, P any, PP plainOf[T, P]] []T

// UnmarshalJSON decodes the array b.
func (l *list[T, P, PP]) UnmarshalJSON(b []byte) error { return l.decode(b) }

// DecodeBody decodes a whole response body b, which the pipeline hands
// over unvalidated (rest.BodyDecoder): without the validation pass that
// encoding/json makes before it calls UnmarshalJSON.
func (l *list[T, P, PP]) DecodeBody(b []byte) error { return l.decode(b) }

func (l *list[T, P, PP]) decode(b []byte) error {
	if ps, ok := fastList[P](b); ok {
		l.set(ps)
		return nil
	}
	return l.decodeSlow(b)
}

// set makes l the representations of ps, the same memory.
func (l *list[T, P, PP]) set(ps []P) {
	if ps == nil {
		*l = nil
		return
	}
	// P is T without its methods: the same fields, so the same memory.
	*l = unsafe.Slice(PP(unsafe.SliceData(ps)).rep(), len(ps))
}

// decodeSlow decodes b with encoding/json, for what fastList leaves to
// it: every error comes from there.
func (l *list[T, P, PP]) decodeSlow(b []byte) error {
	known := fieldsOf[P]()
	n, unknown := scanList(b, known)
	ps := make([]P, 0, n)
	if err := json.Unmarshal(b, &ps); err != nil {
		return err
	}
	if ps == nil {
		*l = nil
		return nil
	}
	if unknown {
		i := 0
		scanArray(b, func(elem []byte) {
			if i < len(ps) {
				*PP(&ps[i]).extra() = unknownMembers(elem, known)
			}
			i++
		})
	}
	l.set(ps)
	return nil
}

// scanList returns the number of elements of the JSON array b and whether
// an element has a member that known does not declare. Like the other
// scanners it never panics, and is right for valid JSON only.
func scanList(b []byte, known *fieldSet) (n int, unknown bool) {
	// Keycloak sends the members of every element in the same order: the
	// keys of the previous element, compared as bytes, spare most map
	// lookups.
	var prevBuf [32][]byte
	prev, cur := prevBuf[:0:16], prevBuf[16:16]
	scanArray(b, func(elem []byte) {
		n++
		if unknown {
			return
		}
		cur = cur[:0]
		scanObject(elem, func(rawKey, _ []byte) {
			if unknown {
				return
			}
			i := len(cur)
			if len(cur) < cap(cur) {
				cur = append(cur, rawKey)
			}
			if i < len(prev) && bytes.Equal(prev[i], rawKey) {
				return
			}
			unknown = !known.has(rawKey)
		})
		prev, cur = cur, prev
	})
	return n, unknown
}

// scanObject calls f with the key (still escaped) and the raw value of each
// member of the JSON object b. Anything but an object is ignored. The
// members are right for valid JSON only; other input reports something
// (without panicking) and must be rejected by encoding/json.
func scanObject(b []byte, f func(rawKey, raw []byte)) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return
	}
	i++
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] == '}' {
			return
		}
		if b[i] == ',' {
			i++
			continue
		}
		end := skipString(b, i)
		rawKey := b[i+1 : max(end-1, i+1)]
		i = skipSpace(b, end) + 1 // after ':'
		if i >= len(b) {
			return // truncated: only valid JSON has members to report
		}
		i = skipSpace(b, i)
		vend := skipValue(b, i)
		f(rawKey, b[i:vend])
		i = vend
	}
}

// scanArray calls f with the raw bytes of each element of the JSON array
// b. Anything but an array is ignored; as for scanObject, only valid JSON
// gives the right elements.
func scanArray(b []byte, f func(elem []byte)) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return
	}
	i++
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] == ']' {
			return
		}
		if b[i] == ',' {
			i++
			continue
		}
		end := skipValue(b, i)
		if end == i { // a stray '}' in invalid input
			i++
			continue
		}
		f(b[i:end])
		i = end
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
	start := i + 1
	for i = start; i < len(b); i++ {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			break
		}
		i += j
		k := i // a quote after an odd number of backslashes is escaped
		for k > start && b[k-1] == '\\' {
			k--
		}
		if (i-k)%2 == 0 {
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
	default: // number, true, false, null
		for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\n' && b[i] != '\t' && b[i] != '\r' {
			i++
		}
		return i
	}
}

// unquoteKey returns the key of a member, its escapes decoded (and invalid
// UTF-8 replaced) as encoding/json decodes it.
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

// The lists the services decode responses into.
type (
	userList             = list[User, plainUser, *plainUser]
	clientList           = list[ClientApp, plainClient, *plainClient]
	roleList             = list[Role, plainRole, *plainRole]
	groupList            = list[Group, plainGroup, *plainGroup]
	clientScopeList      = list[ClientScope, plainClientScope, *plainClientScope]
	realmList            = list[Realm, plainRealm, *plainRealm]
	identityProviderList = list[IdentityProvider, plainIdentityProvider, *plainIdentityProvider]
	organizationList     = list[Organization, plainOrganization, *plainOrganization]
)

// requestBody is implemented by the representations that keep Extra.
type requestBody interface {
	// requestBody returns what to encode as a request body: without
	// Extra the plain form, which encoding/json encodes directly (as
	// MarshalJSON would, without its second encoding pass and copies).
	requestBody() any
}

func (u *User) requestBody() any {
	if u == nil || len(u.Extra) > 0 {
		return u
	}
	return (*plainUser)(u)
}

func (c *ClientApp) requestBody() any {
	if c == nil || len(c.Extra) > 0 {
		return c
	}
	return (*plainClient)(c)
}

func (r *Role) requestBody() any {
	if r == nil || len(r.Extra) > 0 {
		return r
	}
	return (*plainRole)(r)
}

func (g *Group) requestBody() any {
	if g == nil || len(g.Extra) > 0 {
		return g
	}
	return (*plainGroup)(g)
}

func (s *ClientScope) requestBody() any {
	if s == nil || len(s.Extra) > 0 {
		return s
	}
	return (*plainClientScope)(s)
}

func (r *Realm) requestBody() any {
	if r == nil || len(r.Extra) > 0 {
		return r
	}
	return (*plainRealm)(r)
}

func (p *IdentityProvider) requestBody() any {
	if p == nil || len(p.Extra) > 0 {
		return p
	}
	return (*plainIdentityProvider)(p)
}

func (o *Organization) requestBody() any {
	if o == nil || len(o.Extra) > 0 {
		return o
	}
	return (*plainOrganization)(o)
}

func (c *UserProfileConfig) requestBody() any {
	if c == nil || len(c.Extra) > 0 {
		return c
	}
	return (*plainUserProfileConfig)(c)
}
