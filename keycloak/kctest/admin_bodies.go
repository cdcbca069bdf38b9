package kctest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Keycloak binds an Admin REST request body to its representation class
// with Jackson before the resource method runs, and kctest checks every
// such body the same way, once, before its handler (see checkBody):
//
//   - a member the representation does not have is rejected with 400 and
//     KcUnrecognizedPropertyExceptionHandler's message, naming the class,
//     the member and where Jackson stood;
//   - a scalar where another scalar is expected is coerced as Jackson's
//     defaults do (true or 12 into a string member, "true" into a boolean,
//     "12" into a number), and the handler reads the coerced body;
//   - a value of the wrong shape (an object for a string, a string for a
//     list) is 400 {"error":"unknown_error","error_description":"Cannot
//     parse the JSON"}, and malformed JSON 400 with error invalid_request
//     (KeycloakErrorHandler.getResponse).
//
// The members and their types come from Keycloak's Admin OpenAPI
// description (representations.json, written by internal/cmd/kctest-reps),
// so the check knows every member Keycloak knows, whether or not the
// handler's own struct reads it.

//go:generate go run ../../internal/cmd/kctest-reps -o representations.json ../../../shared/reference/keycloak-admin-openapi.json

//go:embed representations.json
var representationsJSON []byte

type representationTable struct {
	Types  map[string]map[string]string `json:"types"`
	Bodies map[string]string            `json:"bodies"`
}

var representations = sync.OnceValue(func() representationTable {
	var t representationTable
	if err := json.Unmarshal(representationsJSON, &t); err != nil {
		panic("kctest: representations.json: " + err.Error())
	}
	return t
})

// bodyType returns the type of the JSON body the matched route takes, or
// "" when it takes none (or a raw string).
func (s *Server) bodyType(r *http.Request) string {
	method, path, ok := strings.Cut(r.Pattern, " ")
	if !ok {
		return ""
	}
	path = strings.TrimPrefix(path, s.basePath)
	var b strings.Builder
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			b.WriteString(path)
			break
		}
		j := strings.IndexByte(path[i:], '}')
		if j < 0 {
			b.WriteString(path)
			break
		}
		b.WriteString(path[:i])
		b.WriteString("{}")
		path = path[i+j+1:]
	}
	return representations().Bodies[method+" "+b.String()]
}

// checkBody binds the request body as Keycloak's Jackson provider would
// (see above). It answers 400 and returns false when Keycloak would reject
// the body; otherwise it replaces r.Body with the body after Jackson's
// coercions and returns true. Routes without a representation body, and
// empty bodies, pass untouched. Admin handlers call it once
// authentication let the request through, as JAX-RS reads the entity
// after the sub-resource locators (which authenticate) and before the
// resource method (which looks things up).
func (s *Server) checkBody(w http.ResponseWriter, r *http.Request) bool {
	typ := s.bodyType(r)
	if typ == "" || r.Body == nil || r.Body == http.NoBody || !jsonContent(r) {
		return true
	}
	limit := int64(maxBodyBytes)
	if lb, ok := r.Body.(*limitedBody); ok {
		limit = lb.limit
	}
	b, err := readBody(r.Body)
	if err != nil {
		// Too large or unreadable: limitBodies turns this into 413.
		writeGenericError(w, http.StatusBadRequest, "unknown_error")
		return false
	}
	out := b
	if len(bytes.TrimSpace(b)) > 0 {
		out, err = bindJSON(b, typ)
		if err != nil {
			writeBindError(w, err)
			return false
		}
	}
	r.Body = &limitedBody{rc: io.NopCloser(bytes.NewReader(out)), limit: max(limit, int64(len(out)))}
	r.ContentLength = int64(len(out))
	return true
}

// jsonContent reports whether r's body is JSON for JAX-RS: its
// Content-Type is application/json (or +json), or absent. Another type is
// left to the handler (a multipart upload, say, that the same path takes
// through another resource method).
func jsonContent(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// bindError is why Jackson would reject a body.
type bindError struct {
	kind bindErrorKind
	// For an unknown member: the representation's class, the member, and
	// Jackson's location (1-based line and column).
	class, member string
	line, column  int
}

type bindErrorKind int

const (
	bindSyntax   bindErrorKind = iota // malformed JSON
	bindMismatch                      // a value of the wrong shape
	bindUnknown                       // a member the representation lacks
)

func (e *bindError) Error() string {
	switch e.kind {
	case bindUnknown:
		return fmt.Sprintf("Invalid json representation for %s. Unrecognized field %q at line %d column %d.",
			e.class, e.member, e.line, e.column)
	case bindSyntax:
		return "invalid_request"
	}
	return "unknown_error"
}

// writeBindError answers as KeycloakErrorHandler.getResponse does for the
// exception Jackson throws: KcUnrecognizedPropertyExceptionHandler's
// BadRequestException puts its message in "error"; a JsonParseException
// is invalid_request and any other JsonProcessingException unknown_error,
// both described "Cannot parse the JSON".
func writeBindError(w http.ResponseWriter, err error) {
	be, ok := err.(*bindError)
	if !ok {
		writeGenericError(w, http.StatusBadRequest, "unknown_error")
		return
	}
	var body any
	if be.kind == bindUnknown {
		body = map[string]string{"error": be.Error()}
	} else {
		body = oauthErrorBody{Error: be.Error(), ErrorDescription: "Cannot parse the JSON"}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // Jackson writes <, > and & as they are
	_ = enc.Encode(body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// bindJSON checks the first JSON value of b against typ (a type of
// representations.json) and returns it with Jackson's scalar coercions
// applied. Like Jackson, it reads only the first value: what follows is
// ignored.
func bindJSON(b []byte, typ string) ([]byte, error) {
	p := &binder{b: b, types: representations().Types}
	p.ws()
	start := p.i
	if err := p.value(typ); err != nil {
		return nil, err
	}
	val := b[start:p.i]
	if len(p.edits) == 0 {
		return val, nil
	}
	var out bytes.Buffer
	last := start
	for _, e := range p.edits {
		out.Write(b[last:e.start])
		out.WriteString(e.text)
		last = e.end
	}
	out.Write(b[last:p.i])
	return out.Bytes(), nil
}

// binder walks a JSON document against a type, in document order, as
// Jackson's streaming deserializers do: the first problem met is the one
// reported.
type binder struct {
	b     []byte
	i     int
	types map[string]map[string]string
	edits []edit
}

// edit replaces b[start:end] with text in the output.
type edit struct {
	start, end int
	text       string
}

func (p *binder) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *binder) syntax() error { return &bindError{kind: bindSyntax} }

func (p *binder) mismatch() error { return &bindError{kind: bindMismatch} }

// value reads one value of type typ at p.i (after whitespace).
func (p *binder) value(typ string) error {
	p.ws()
	if p.i >= len(p.b) {
		return p.syntax()
	}
	switch c := p.b[p.i]; {
	case c == '{':
		return p.object(typ)
	case c == '[':
		return p.array(typ)
	case c == '"':
		return p.str(typ)
	case c == 't' || c == 'f' || c == 'n':
		return p.literal(typ)
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(typ)
	}
	return p.syntax()
}

func (p *binder) object(typ string) error {
	var members map[string]string
	elem := "any"
	switch {
	case typ == "any":
	case strings.HasPrefix(typ, "{"):
		elem = typ[1 : len(typ)-1]
	case p.types[typ] != nil:
		members = p.types[typ]
	default:
		return p.mismatch()
	}
	p.i++ // {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return nil
	}
	for {
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return p.syntax()
		}
		ks := p.i
		if err := p.skipString(); err != nil {
			return err
		}
		var key string
		if json.Unmarshal(p.b[ks:p.i], &key) != nil {
			return p.syntax()
		}
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return p.syntax()
		}
		p.i++
		t := elem
		if members != nil {
			mt, ok := members[key]
			if !ok {
				return p.unknown(typ, key)
			}
			t = mt
		}
		if err := p.value(t); err != nil {
			return err
		}
		p.ws()
		if p.i >= len(p.b) {
			return p.syntax()
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return nil
		default:
			return p.syntax()
		}
	}
}

// unknown reports member key of class as Jackson does: the location is one
// past what Jackson had read when it met the member, which is the whole
// value for a number or a literal and only the opening character of a
// string, array or object.
func (p *binder) unknown(class, key string) error {
	p.ws()
	end := p.i
	if end < len(p.b) {
		switch c := p.b[end]; {
		case c == '"' || c == '[' || c == '{':
			end++
		default:
			for end < len(p.b) && !isDelim(p.b[end]) {
				end++
			}
		}
	}
	line, col := 1, 1
	for _, c := range p.b[:end] {
		if c == '\n' {
			line, col = line+1, 1
			continue
		}
		col++
	}
	return &bindError{kind: bindUnknown, class: class, member: key, line: line, column: col}
}

func isDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', ',', '}', ']', ':':
		return true
	}
	return false
}

func (p *binder) array(typ string) error {
	elem := "any"
	switch {
	case typ == "any":
	case strings.HasPrefix(typ, "["):
		elem = typ[1 : len(typ)-1]
	default:
		return p.mismatch()
	}
	p.i++ // [
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return nil
	}
	for {
		if err := p.value(elem); err != nil {
			return err
		}
		p.ws()
		if p.i >= len(p.b) {
			return p.syntax()
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return nil
		default:
			return p.syntax()
		}
	}
}

// skipString moves past the string at p.i.
func (p *binder) skipString() error {
	for j := p.i + 1; j < len(p.b); j++ {
		switch p.b[j] {
		case '\\':
			j++
		case '"':
			p.i = j + 1
			return nil
		}
	}
	return p.syntax()
}

func (p *binder) str(typ string) error {
	start := p.i
	if err := p.skipString(); err != nil {
		return err
	}
	var s string
	if json.Unmarshal(p.b[start:p.i], &s) != nil {
		return p.syntax()
	}
	switch typ {
	case "string", "any":
		return nil
	case "boolean":
		// Jackson's StdDeserializer._parseBoolean: "true"/"false" in
		// three casings, and "" as null.
		switch s {
		case "true", "True", "TRUE":
			p.edit(start, "true")
		case "false", "False", "FALSE":
			p.edit(start, "false")
		case "":
			p.edit(start, "null")
		default:
			return p.mismatch()
		}
		return nil
	case "integer", "number":
		t := strings.TrimSpace(s)
		if t == "" {
			p.edit(start, "null")
			return nil
		}
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return p.mismatch()
		}
		if typ == "integer" {
			if _, err := strconv.ParseInt(t, 10, 64); err != nil {
				return p.mismatch()
			}
			p.edit(start, t)
			return nil
		}
		p.edit(start, strconv.FormatFloat(f, 'g', -1, 64))
		return nil
	}
	return p.mismatch()
}

func (p *binder) edit(start int, text string) {
	p.edits = append(p.edits, edit{start: start, end: p.i, text: text})
}

func (p *binder) literal(typ string) error {
	start := p.i
	for _, lit := range []string{"true", "false", "null"} {
		if bytes.HasPrefix(p.b[p.i:], []byte(lit)) {
			p.i += len(lit)
			if p.i < len(p.b) && !isDelim(p.b[p.i]) {
				return p.syntax()
			}
			if lit == "null" {
				return nil
			}
			switch typ {
			case "boolean", "any":
			case "string":
				// StringDeserializer takes a boolean's text.
				p.edit(start, strconv.Quote(lit))
			default:
				return p.mismatch()
			}
			return nil
		}
	}
	return p.syntax()
}

func (p *binder) number(typ string) error {
	start := p.i
	for p.i < len(p.b) && !isDelim(p.b[p.i]) {
		p.i++
	}
	text := string(p.b[start:p.i])
	if !json.Valid(p.b[start:p.i]) {
		return p.syntax()
	}
	isInt := !strings.ContainsAny(text, ".eE")
	switch typ {
	case "number", "any":
	case "integer":
		if !isInt {
			// DeserializationFeature.ACCEPT_FLOAT_AS_INT (on by default)
			// truncates.
			f, err := strconv.ParseFloat(text, 64)
			if err != nil {
				return p.mismatch()
			}
			p.edit(start, strconv.FormatInt(int64(f), 10))
		}
	case "string":
		// StringDeserializer takes a number's text as written.
		p.edit(start, strconv.Quote(text))
	case "boolean":
		if !isInt {
			return p.mismatch()
		}
		// An integer coerces to a boolean: 0 is false.
		p.edit(start, strconv.FormatBool(strings.TrimLeft(text, "-0") != ""))
	default:
		return p.mismatch()
	}
	return nil
}
