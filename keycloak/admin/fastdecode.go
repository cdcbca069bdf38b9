package admin

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// fastdecode.go decodes a representation's JSON in one pass over its
// bytes, without reflection per value: a plan, built once per plain type
// from its fields, says where each member goes. It reads the forms
// Keycloak sends (strings, booleans, integers, string slices and maps,
// nested values through encoding/json) and gives up, reporting !ok, on
// anything else: invalid JSON, a member given twice, a key that matches a
// field only case-insensitively, a number where a string goes. The caller
// then decodes with encoding/json, so that every result and every error
// is encoding/json's own; the fast path only ever returns what
// encoding/json would have (FuzzFastDecodeMatchesEncodingJSON).
//
// Strings, and what *string, *bool and *int64 fields point to, are carved
// from chunks allocated per response (at most 4 KiB of string bytes, 64
// strings, 64 booleans, 16 integers each, never more than the rest of the
// body holds), instead of one allocation each: a string kept from a
// decoded list keeps its chunk alive, at most 4 KiB.

// fastKind is how the fast path decodes a field.
type fastKind uint8

const (
	fastGeneric    fastKind = iota // encoding/json, on the value's bytes
	fastString                     // string
	fastStringPtr                  // *string
	fastBool                       // bool
	fastBoolPtr                    // *bool
	fastInt                        // int, int64
	fastIntPtr                     // *int, *int64
	fastStrings                    // []string
	fastMapString                  // map[string]string
	fastMapStrings                 // map[string][]string
	fastMapBool                    // map[string]bool
)

var fastKinds = map[reflect.Type]fastKind{
	reflect.TypeFor[string]():              fastString,
	reflect.TypeFor[*string]():             fastStringPtr,
	reflect.TypeFor[bool]():                fastBool,
	reflect.TypeFor[*bool]():               fastBoolPtr,
	reflect.TypeFor[[]string]():            fastStrings,
	reflect.TypeFor[map[string]string]():   fastMapString,
	reflect.TypeFor[map[string][]string](): fastMapStrings,
	reflect.TypeFor[map[string]bool]():     fastMapBool,
}

func init() {
	if strconv.IntSize == 64 { // int and int64 share a layout
		fastKinds[reflect.TypeFor[int]()] = fastInt
		fastKinds[reflect.TypeFor[*int]()] = fastIntPtr
	}
	fastKinds[reflect.TypeFor[int64]()] = fastInt
	fastKinds[reflect.TypeFor[*int64]()] = fastIntPtr
}

type fastField struct {
	name string
	kind fastKind
	off  uintptr
	typ  reflect.Type
}

// fastPlan is how to decode one struct type.
type fastPlan struct {
	fields   []fastField
	index    map[string]int
	known    *fieldSet
	extraOff uintptr // the Extra field, when hasExtra
	hasExtra bool
}

// maxPlanFields bounds the fields of a type the fast path decodes (a
// bit each in fastDecoder.object's seen set).
const maxPlanFields = 256

var fastPlans sync.Map // reflect.Type -> *fastPlan, nil when the fast path can't decode it

// planFor returns the plan of struct type t, or nil when a field makes the
// type one only encoding/json decodes right (an embedded struct, a ",string"
// option, a name encoding/json would not take from its tag).
func planFor(t reflect.Type) *fastPlan {
	if p, ok := fastPlans.Load(t); ok {
		return p.(*fastPlan)
	}
	p := buildPlan(t)
	v, _ := fastPlans.LoadOrStore(t, p)
	return v.(*fastPlan)
}

func buildPlan(t reflect.Type) *fastPlan {
	if t.Kind() != reflect.Struct || t.NumField() > maxPlanFields {
		return nil
	}
	p := &fastPlan{index: map[string]int{}, known: knownFields(t)}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			return nil
		}
		if f.Name == "Extra" && f.Type == reflect.TypeFor[Extra]() && f.Tag.Get("json") == "-" {
			p.extraOff, p.hasExtra = f.Offset, true
			continue
		}
		n, opts, ok := memberName(f)
		if !ok {
			continue
		}
		if n == "-" {
			return nil // "-," names a member "-"
		}
		for o := range strings.SplitSeq(opts, ",") {
			if o == "string" {
				return nil
			}
		}
		if !plainName(n) {
			return nil
		}
		if _, dup := p.index[n]; dup {
			return nil
		}
		p.index[n] = len(p.fields)
		p.fields = append(p.fields, fastField{name: n, kind: fastKinds[f.Type], off: f.Offset, typ: f.Type})
	}
	return p
}

// plainName reports whether encoding/json takes n from a tag as is: the
// names of kc's representations are letters, digits, '-', '_' and '.'.
func plainName(n string) bool {
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return n != ""
}

// maxFastDepth is the nesting the fast path's validating skip follows
// before it gives up (encoding/json's own limit is 10,000).
const maxFastDepth = 512

// fastDecoder reads one JSON text.
type fastDecoder struct {
	b       []byte
	i       int
	scratch []string
	order   []int16 // the fields of the previous object, by position
	arena   fastArena
}

// fastArena hands out strings and small pointed-to values from chunks.
type fastArena struct {
	bytes []byte
	strs  []string
	bools []bool
	ints  []int64
}

// fastList decodes the JSON array b into a new slice, or reports !ok.
// null gives a nil slice, [] an empty one, as encoding/json.
func fastList[P any](b []byte) (ps []P, ok bool) {
	plan := planFor(reflect.TypeFor[P]())
	if plan == nil {
		return nil, false
	}
	d := &fastDecoder{b: b}
	d.ws()
	if d.literal("null") {
		return nil, d.end()
	}
	if !d.at('[') {
		return nil, false
	}
	if d.open(']') {
		return []P{}, d.end()
	}
	for {
		d.ws()
		start := d.i
		ps = append(ps, *new(P))
		if !d.literal("null") {
			if !d.at('{') || !d.object(plan, unsafe.Pointer(&ps[len(ps)-1])) {
				return nil, false
			}
		}
		if len(ps) == 1 { // size the slice from the first element
			if n := 1 + (len(b)-d.i)/max(d.i-start, 16); n > cap(ps) {
				grown := make([]P, 1, n+n/8)
				grown[0] = ps[0]
				ps = grown
			}
		}
		if more, ok := d.next(']'); !ok {
			return nil, false
		} else if !more {
			return ps, d.end()
		}
	}
}

// fastObject decodes the JSON object (or null) b into the zero value *p,
// whose Extra field is *extra, or reports !ok.
func fastObject[P any](b []byte, p *P, extra *Extra) bool {
	plan := planFor(reflect.TypeFor[P]())
	if plan == nil || !plan.hasExtra || unsafe.Add(unsafe.Pointer(p), plan.extraOff) != unsafe.Pointer(extra) {
		return false
	}
	d := &fastDecoder{b: b}
	d.ws()
	if d.literal("null") {
		return d.end()
	}
	return d.at('{') && d.object(plan, unsafe.Pointer(p)) && d.end()
}

func (d *fastDecoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *fastDecoder) at(c byte) bool { return d.i < len(d.b) && d.b[d.i] == c }

// open consumes the '{' or '[' at d.i and reports whether the object or
// array is empty, consuming its close too.
func (d *fastDecoder) open(close byte) (empty bool) {
	d.i++
	d.ws()
	if d.at(close) {
		d.i++
		return true
	}
	return false
}

// next consumes what follows a member or an element: a ',' (more) or
// close (!more); anything else is !ok.
func (d *fastDecoder) next(close byte) (more, ok bool) {
	d.ws()
	switch {
	case d.at(','):
		d.i++
		return true, true
	case d.at(close):
		d.i++
		return false, true
	}
	return false, false
}

// end reports whether only white space is left.
func (d *fastDecoder) end() bool {
	d.ws()
	return d.i == len(d.b)
}

// literal consumes lit (null, true, false) when it is next.
func (d *fastDecoder) literal(lit string) bool {
	if len(d.b)-d.i >= len(lit) && string(d.b[d.i:d.i+len(lit)]) == lit {
		d.i += len(lit)
		return true
	}
	return false
}

// object decodes the object at d.b[d.i] == '{' into the struct at p,
// which is zero.
func (d *fastDecoder) object(plan *fastPlan, p unsafe.Pointer) bool {
	if d.open('}') {
		return true
	}
	var seen [maxPlanFields / 64]uint64
	var extra Extra
	for pos := 0; ; pos++ {
		d.ws()
		kstart, kend, esc, ok := d.str()
		if !ok {
			return false
		}
		raw := d.b[kstart:kend]
		d.ws()
		if !d.at(':') {
			return false
		}
		d.i++
		d.ws()
		fi := -1
		if !esc {
			if pos < len(d.order) && int(d.order[pos]) < len(plan.fields) && plan.fields[d.order[pos]].name == string(raw) {
				fi = int(d.order[pos])
			} else if j, ok := plan.index[string(raw)]; ok {
				fi = j
			}
		}
		if fi >= 0 {
			if seen[fi/64]&(1<<(fi%64)) != 0 {
				return false // encoding/json merges or overwrites: leave it that
			}
			seen[fi/64] |= 1 << (fi % 64)
			if pos < len(d.order) {
				d.order[pos] = int16(fi)
			} else if pos == len(d.order) {
				d.order = append(d.order, int16(fi))
			}
			f := &plan.fields[fi]
			if !d.field(f, unsafe.Add(p, f.off)) {
				return false
			}
		} else {
			key, ok := d.text(kstart, kend, esc)
			if !ok || plan.known.hasName(key) {
				return false // encoding/json matches it case-insensitively
			}
			start := d.i
			if !d.skip(0) {
				return false
			}
			if plan.hasExtra {
				if extra == nil {
					extra = Extra{}
				}
				extra[key] = bytes.Clone(d.b[start:d.i])
			}
		}
		if more, ok := d.next('}'); !ok {
			return false
		} else if !more {
			if extra != nil {
				*(*Extra)(unsafe.Add(p, plan.extraOff)) = extra
			}
			return true
		}
	}
}

// field decodes the value at d.i into the field f at p, which is zero.
func (d *fastDecoder) field(f *fastField, p unsafe.Pointer) bool {
	if f.kind == fastGeneric {
		start := d.i
		if !d.skip(0) {
			return false
		}
		return json.Unmarshal(d.b[start:d.i], reflect.NewAt(f.typ, p).Interface()) == nil
	}
	if d.literal("null") {
		return true // a nil pointer, slice or map; a zero string, bool or int
	}
	switch f.kind {
	case fastString:
		s, ok := d.string()
		*(*string)(p) = s
		return ok
	case fastStringPtr:
		s, ok := d.string()
		*(**string)(p) = d.arena.strPtr(s, d.left())
		return ok
	case fastBool:
		v, ok := d.bool()
		*(*bool)(p) = v
		return ok
	case fastBoolPtr:
		v, ok := d.bool()
		*(**bool)(p) = d.arena.boolPtr(v, d.left())
		return ok
	case fastInt:
		v, ok := d.int()
		*(*int64)(p) = v
		return ok
	case fastIntPtr:
		v, ok := d.int()
		*(**int64)(p) = d.arena.intPtr(v, d.left())
		return ok
	case fastStrings:
		s, ok := d.strings()
		*(*[]string)(p) = s
		return ok
	case fastMapString:
		return decodeMap(d, (*map[string]string)(p), (*fastDecoder).stringOrNull)
	case fastMapStrings:
		return decodeMap(d, (*map[string][]string)(p), (*fastDecoder).stringsOrNull)
	case fastMapBool:
		return decodeMap(d, (*map[string]bool)(p), (*fastDecoder).boolOrNull)
	}
	return false
}

// left is how many bytes are still to read: no chunk needs more.
func (d *fastDecoder) left() int { return len(d.b) - d.i }

// decodeMap decodes an object into *m, made empty first as encoding/json
// makes it, with elem decoding each value (a key given twice keeps the
// last value, as in encoding/json).
func decodeMap[V any](d *fastDecoder, m *map[string]V, elem func(*fastDecoder) (V, bool)) bool {
	if !d.at('{') {
		return false
	}
	*m = map[string]V{}
	if d.open('}') {
		return true
	}
	for {
		d.ws()
		start, end, esc, ok := d.str()
		if !ok {
			return false
		}
		k, ok := d.text(start, end, esc)
		if !ok {
			return false
		}
		d.ws()
		if !d.at(':') {
			return false
		}
		d.i++
		d.ws()
		v, ok := elem(d)
		if !ok {
			return false
		}
		(*m)[k] = v
		if more, ok := d.next('}'); !more {
			return ok
		}
	}
}

func (d *fastDecoder) stringOrNull() (string, bool) {
	if d.literal("null") {
		return "", true
	}
	return d.string()
}

func (d *fastDecoder) stringsOrNull() ([]string, bool) {
	if d.literal("null") {
		return nil, true
	}
	return d.strings()
}

func (d *fastDecoder) boolOrNull() (bool, bool) {
	if d.literal("null") {
		return false, true
	}
	return d.bool()
}

// str reads the string at d.i: the indices of its bytes between the
// quotes, still escaped, and whether it has an escape; !ok when it is not
// a string JSON allows (a control character, an unknown escape).
func (d *fastDecoder) str() (start, end int, esc, ok bool) {
	if !d.at('"') {
		return 0, 0, false, false
	}
	start = d.i + 1
	for i := start; i < len(d.b); i++ {
		switch c := d.b[i]; {
		case c == '"':
			d.i = i + 1
			return start, i, esc, true
		case c == '\\':
			esc = true
			if i+1 >= len(d.b) {
				return 0, 0, false, false
			}
			i++
			switch d.b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(d.b) {
					return 0, 0, false, false
				}
				for _, h := range d.b[i+1 : i+5] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return 0, 0, false, false
					}
				}
				i += 4
			default:
				return 0, 0, false, false
			}
		case c < 0x20:
			return 0, 0, false, false
		}
	}
	return 0, 0, false, false
}

// text returns the string d.b[start:end], as encoding/json decodes it:
// escapes decoded, invalid UTF-8 replaced. Without escapes, valid UTF-8
// is copied into the arena.
func (d *fastDecoder) text(start, end int, esc bool) (string, bool) {
	raw := d.b[start:end]
	if !esc && utf8.Valid(raw) {
		return d.arena.str(raw, d.left()), true
	}
	var s string
	return s, json.Unmarshal(d.b[start-1:end+1], &s) == nil // with its quotes
}

// string reads a string value.
func (d *fastDecoder) string() (string, bool) {
	start, end, esc, ok := d.str()
	if !ok {
		return "", false
	}
	return d.text(start, end, esc)
}

func (d *fastDecoder) bool() (bool, bool) {
	switch {
	case d.literal("true"):
		return true, true
	case d.literal("false"):
		return false, true
	}
	return false, false
}

// int reads an integer: a JSON number without fraction or exponent that
// fits in 64 bits. Any other number is encoding/json's to refuse.
func (d *fastDecoder) int() (int64, bool) {
	start := d.i
	if d.at('-') {
		d.i++
	}
	digits := d.i
	for d.i < len(d.b) && '0' <= d.b[d.i] && d.b[d.i] <= '9' {
		d.i++
	}
	if d.i == digits || d.b[digits] == '0' && d.i-digits > 1 {
		return 0, false
	}
	if d.i < len(d.b) {
		switch d.b[d.i] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	n, err := strconv.ParseInt(unsafe.String(&d.b[start], d.i-start), 10, 64)
	return n, err == nil
}

// strings reads an array of strings (null elements are ""), into the
// arena; [] is an empty slice, not nil.
func (d *fastDecoder) strings() ([]string, bool) {
	if !d.at('[') {
		return nil, false
	}
	if d.open(']') {
		return []string{}, true
	}
	d.scratch = d.scratch[:0]
	for {
		d.ws()
		if d.literal("null") {
			d.scratch = append(d.scratch, "")
		} else {
			s, ok := d.string()
			if !ok {
				return nil, false
			}
			d.scratch = append(d.scratch, s)
		}
		if more, ok := d.next(']'); !ok {
			return nil, false
		} else if !more {
			return d.arena.strSlice(d.scratch, d.left()), true
		}
	}
}

// skip passes over one value, checking that it is valid JSON.
func (d *fastDecoder) skip(depth int) bool {
	if d.i >= len(d.b) || depth > maxFastDepth {
		return false
	}
	switch c := d.b[d.i]; {
	case c == '"':
		_, _, _, ok := d.str()
		return ok
	case c == '{':
		if d.open('}') {
			return true
		}
		for {
			d.ws()
			if _, _, _, ok := d.str(); !ok {
				return false
			}
			d.ws()
			if !d.at(':') {
				return false
			}
			d.i++
			d.ws()
			if !d.skip(depth + 1) {
				return false
			}
			if more, ok := d.next('}'); !more {
				return ok
			}
		}
	case c == '[':
		if d.open(']') {
			return true
		}
		for {
			d.ws()
			if !d.skip(depth + 1) {
				return false
			}
			if more, ok := d.next(']'); !more {
				return ok
			}
		}
	case c == '-' || '0' <= c && c <= '9':
		return d.number()
	default:
		return d.literal("true") || d.literal("false") || d.literal("null")
	}
}

// number passes over a number, as JSON's grammar has it.
func (d *fastDecoder) number() bool {
	if d.at('-') {
		d.i++
	}
	switch {
	case d.at('0'):
		d.i++
	case d.i < len(d.b) && '1' <= d.b[d.i] && d.b[d.i] <= '9':
		d.digits()
	default:
		return false
	}
	if d.at('.') {
		d.i++
		if !d.digits() {
			return false
		}
	}
	if d.at('e') || d.at('E') {
		d.i++
		if d.at('+') || d.at('-') {
			d.i++
		}
		if !d.digits() {
			return false
		}
	}
	return true
}

// digits passes over one or more digits.
func (d *fastDecoder) digits() bool {
	start := d.i
	for d.i < len(d.b) && '0' <= d.b[d.i] && d.b[d.i] <= '9' {
		d.i++
	}
	return d.i > start
}

// Chunk sizes of the arena.
const (
	arenaBytes   = 4 << 10
	arenaStrings = 64
	arenaBools   = 64
	arenaInts    = 16
)

// str returns a copy of b. left bounds what the rest of the input can
// still need, so that a small response gets a small chunk.
func (a *fastArena) str(b []byte, left int) string {
	n := len(b)
	switch {
	case n == 0:
		return ""
	case n > arenaBytes/4:
		return string(b)
	}
	if cap(a.bytes)-len(a.bytes) < n {
		a.bytes = make([]byte, 0, max(n, min(arenaBytes, left)))
	}
	i := len(a.bytes)
	a.bytes = append(a.bytes, b...)
	return unsafe.String(&a.bytes[i], n)
}

// strSlice returns a copy of s whose capacity is its length, so that an
// append never writes over its neighbour in the chunk.
func (a *fastArena) strSlice(s []string, left int) []string {
	n := len(s)
	if n > arenaStrings/2 {
		return append([]string(nil), s...)[:n:n]
	}
	if cap(a.strs)-len(a.strs) < n {
		a.strs = make([]string, 0, max(n, min(arenaStrings, left/2+1)))
	}
	i := len(a.strs)
	a.strs = append(a.strs, s...)
	return a.strs[i : i+n : i+n]
}

func (a *fastArena) strPtr(s string, left int) *string {
	if len(a.strs) == cap(a.strs) {
		a.strs = make([]string, 0, min(arenaStrings, left/2+1))
	}
	a.strs = append(a.strs, s)
	return &a.strs[len(a.strs)-1]
}

func (a *fastArena) boolPtr(v bool, left int) *bool {
	if len(a.bools) == cap(a.bools) {
		a.bools = make([]bool, 0, min(arenaBools, left/4+1))
	}
	a.bools = append(a.bools, v)
	return &a.bools[len(a.bools)-1]
}

func (a *fastArena) intPtr(v int64, left int) *int64 {
	if len(a.ints) == cap(a.ints) {
		a.ints = make([]int64, 0, min(arenaInts, left+1))
	}
	a.ints = append(a.ints, v)
	return &a.ints[len(a.ints)-1]
}
