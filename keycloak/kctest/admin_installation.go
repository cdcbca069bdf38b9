package kctest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// The client installation providers of the OIDC adapters, as Keycloak's
// ClientResource.getInstallationProvider serves them: the keycloak.json of
// KeycloakOIDCClientInstallation, the subsystem XML of
// KeycloakOIDCJbossSubsystemClientInstallation and the CLI script of
// KeycloakOIDCJbossSubsystemClientCliInstallation, each text/plain. Any
// other provider id is 404 "Unknown Provider": Keycloak 26 has no
// saml-idp-descriptor any more, and kctest does not generate the SAML
// adapter files (keycloak-saml, keycloak-saml-subsystem[-cli],
// saml-sp-descriptor, mod-auth-mellon) nor docker-v2's.

func (s *Server) registerAdminInstallation(mux *http.ServeMux) {
	s.handle(mux, "GET", "/admin/realms/{realm}/clients/{client}/installation/providers/{provider}",
		s.admin(permViewClients, s.withClient(s.adminClientInstallation)))
}

func (s *Server) adminClientInstallation(w http.ResponseWriter, r *http.Request, rm *realm, c *client) {
	var text string
	baseURI := s.baseURL(r) + "/"
	switch r.PathValue("provider") {
	case "keycloak-oidc-keycloak-json":
		text = s.keycloakJSON(rm, c, baseURI)
	case "keycloak-oidc-jboss-subsystem":
		text = jbossSubsystemXML(rm, c, baseURI)
	case "keycloak-oidc-jboss-subsystem-cli":
		text = jbossSubsystemCLI(rm, c, baseURI)
	default:
		writeGenericError(w, http.StatusNotFound, "Unknown Provider")
		return
	}
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(text))
}

// sslRequired returns the realm's sslRequired ("external", "all", "none").
func (rm *realm) sslRequired() string {
	var v string
	if raw, ok := rm.settings["sslRequired"]; ok {
		_ = json.Unmarshal(raw, &v)
	}
	if v == "" {
		v = "external"
	}
	return strings.ToLower(v)
}

// showClientCredentials is
// KeycloakOIDCClientInstallation.showClientCredentialsAdapterConfig.
func showClientCredentials(c *client) bool {
	if c.publicClient {
		return false
	}
	return !(c.bearerOnly && !c.serviceAccounts && c.nodeReRegistrationTimeout <= 0)
}

// showVerifyTokenAudience is KeycloakOIDCClientInstallation
// .showVerifyTokenAudience: the client has roles, or a client scope has an
// audience mapper naming it.
func (rm *realm) showVerifyTokenAudience(c *client) bool {
	if len(c.roles) > 0 {
		return true
	}
	for _, sc := range rm.scopes {
		for _, raw := range sc.mappers {
			var m struct {
				ProtocolMapper string            `json:"protocolMapper"`
				Config         map[string]string `json:"config"`
			}
			if json.Unmarshal(raw, &m) == nil && m.ProtocolMapper == "oidc-audience-mapper" &&
				m.Config["included.client.audience"] == c.clientID {
				return true
			}
		}
	}
	return false
}

// adapterCredentials is the client authenticator's
// getAdapterConfiguration, its entries in Java HashMap order (which
// Jackson and the subsystem generators follow).
func adapterCredentials(c *client) []kv {
	switch c.clientAuthenticator {
	case "client-jwt":
		props := []kv{
			{"client-keystore-file", "REPLACE WITH THE LOCATION OF YOUR KEYSTORE FILE"},
			{"client-keystore-type", "jks"},
			{"client-keystore-password", "REPLACE WITH THE KEYSTORE PASSWORD"},
			{"client-key-password", "REPLACE WITH THE KEY PASSWORD IN KEYSTORE"},
			{"client-key-alias", c.clientID},
			{"token-timeout", 10},
		}
		if alg := c.attributes["token.endpoint.auth.signing.alg"]; alg != "" {
			props = append(props, kv{"algorithm", alg})
		}
		return []kv{{"jwt", javaHashMapOrder(props)}}
	case "client-secret-jwt":
		props := []kv{{"secret", c.secret}}
		if alg := c.attributes["token.endpoint.auth.signing.alg"]; alg != "" {
			props = append(props, kv{"algorithm", alg})
		}
		return []kv{{"secret-jwt", javaHashMapOrder(props)}}
	case "client-x509":
		return []kv{}
	}
	return []kv{{"secret", c.secret}}
}

// kv is one member of an ordered JSON object.
type kv struct {
	k string
	v any
}

// javaHashMapOrder orders string-keyed entries as a java.util.HashMap of
// default capacity iterates them: by bucket (the key's String.hashCode,
// spread, modulo the table size), then insertion order within a bucket.
func javaHashMapOrder(in []kv) []kv {
	size := 16
	for float64(len(in)) > 0.75*float64(size) {
		size *= 2
	}
	bucket := func(s string) int {
		var h int32
		for _, r := range utf16Units(s) {
			h = 31*h + int32(r)
		}
		u := uint32(h)
		return int((u ^ u>>16) & uint32(size-1))
	}
	out := slices.Clone(in)
	slices.SortStableFunc(out, func(a, b kv) int { return bucket(a.k) - bucket(b.k) })
	return out
}

func utf16Units(s string) []uint16 {
	var out []uint16
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			out = append(out, uint16(0xD800+(r>>10)), uint16(0xDC00+(r&0x3FF)))
			continue
		}
		out = append(out, uint16(r))
	}
	return out
}

// keycloakJSON is KeycloakOIDCClientInstallation.generateInstallation:
// ClientManager.InstallationAdapterConfig, pretty-printed as Jackson
// prints it.
func (s *Server) keycloakJSON(rm *realm, c *client, baseURI string) string {
	obj := []kv{{"realm", rm.name}}
	if c.bearerOnly {
		obj = append(obj, kv{"bearer-only", true})
	}
	obj = append(obj, kv{"auth-server-url", baseURI}, kv{"ssl-required", rm.sslRequired()}, kv{"resource", c.clientID})
	if c.publicClient && !c.bearerOnly {
		obj = append(obj, kv{"public-client", true})
	}
	if rm.showVerifyTokenAudience(c) {
		obj = append(obj, kv{"verify-token-audience", true})
	}
	if showClientCredentials(c) {
		obj = append(obj, kv{"credentials", adapterCredentials(c)})
	}
	authz := rm.authzOf(c) != nil
	useRoleMappings := len(c.roles) > 0
	if authz && len(c.roles) == 1 {
		for name := range c.roles {
			useRoleMappings = name != "uma_protection"
		}
	}
	if useRoleMappings {
		obj = append(obj, kv{"use-resource-role-mappings", true})
	}
	obj = append(obj, kv{"confidential-port", 0})
	if authz {
		obj = append(obj, kv{"policy-enforcer", []kv{{"credentials", []kv{}}}})
	}
	var b bytes.Buffer
	writeJacksonPretty(&b, obj, 0)
	return b.String()
}

// writeJacksonPretty writes v as Jackson's DefaultPrettyPrinter does:
// two-space indent, "key" : value, an empty object as { }.
func writeJacksonPretty(b *bytes.Buffer, v any, depth int) {
	switch v := v.(type) {
	case []kv:
		if len(v) == 0 {
			b.WriteString("{ }")
			return
		}
		b.WriteString("{\n")
		for i, m := range v {
			b.WriteString(strings.Repeat("  ", depth+1))
			writeJSONString(b, m.k)
			b.WriteString(" : ")
			writeJacksonPretty(b, m.v, depth+1)
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteByte('}')
	case string:
		writeJSONString(b, v)
	default:
		fmt.Fprint(b, v)
	}
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode's newline
}

// jbossSubsystemXML is KeycloakOIDCJbossSubsystemClientInstallation.
func jbossSubsystemXML(rm *realm, c *client, baseURI string) string {
	var b strings.Builder
	b.WriteString("<secure-deployment name=\"WAR MODULE NAME.war\">\n")
	b.WriteString("    <realm>" + rm.name + "</realm>\n")
	b.WriteString("    <auth-server-url>" + baseURI + "</auth-server-url>\n")
	if c.bearerOnly {
		b.WriteString("    <bearer-only>true</bearer-only>\n")
	} else if c.publicClient {
		b.WriteString("    <public-client>true</public-client>\n")
	}
	b.WriteString("    <ssl-required>" + strings.ToUpper(rm.sslRequired()) + "</ssl-required>\n")
	b.WriteString("    <resource>" + c.clientID + "</resource>\n")
	if rm.showVerifyTokenAudience(c) {
		b.WriteString("    <verify-token-audience>true</verify-token-audience>\n")
	}
	if showClientCredentials(c) {
		for _, e := range adapterCredentials(c) {
			b.WriteString("    <credential name=\"" + e.k + "\">")
			if m, ok := e.v.([]kv); ok {
				b.WriteString("\n")
				for _, p := range m {
					fmt.Fprintf(&b, "        <%s>%v</%s>\n", p.k, p.v, p.k)
				}
				b.WriteString("    </credential>\n")
			} else {
				fmt.Fprintf(&b, "%v</credential>\n", e.v)
			}
		}
	}
	if len(c.roles) > 0 {
		b.WriteString("    <use-resource-role-mappings>true</use-resource-role-mappings>\n")
	}
	b.WriteString("</secure-deployment>\n")
	return b.String()
}

// cliQuote is ClientCliInstallationUtil.quote: a value in double quotes,
// its backslashes and quotes escaped.
func cliQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// jbossSubsystemCLI is KeycloakOIDCJbossSubsystemClientCliInstallation. A
// map-valued credential prints as Java prints a map ({k=v, ...}).
func jbossSubsystemCLI(rm *realm, c *client, baseURI string) string {
	const dep = "WAR MODULE NAME.war"
	var b strings.Builder
	b.WriteString("/subsystem=keycloak/secure-deployment=" + cliQuote(dep) + "/:add( \\\n")
	b.WriteString("    realm=" + cliQuote(rm.name) + ", \\\n")
	b.WriteString("    resource=" + cliQuote(c.clientID) + ", \\\n")
	b.WriteString("    auth-server-url=" + baseURI + ", \\\n")
	if c.bearerOnly {
		b.WriteString("    bearer-only=true, \\\n")
	} else if c.publicClient {
		b.WriteString("    public-client=true, \\\n")
	}
	if rm.showVerifyTokenAudience(c) {
		b.WriteString("    verify-token-audience=true, \\\n")
	}
	if len(c.roles) > 0 {
		b.WriteString("    use-resource-role-mappings=true, \\\n")
	}
	b.WriteString("    ssl-required=" + strings.ToUpper(rm.sslRequired()) + ")\n\n")
	if showClientCredentials(c) {
		for _, e := range adapterCredentials(c) {
			v := fmt.Sprint(e.v)
			if m, ok := e.v.([]kv); ok {
				parts := make([]string, len(m))
				for i, p := range m {
					parts[i] = fmt.Sprintf("%s=%v", p.k, p.v)
				}
				v = "{" + strings.Join(parts, ", ") + "}"
			}
			b.WriteString("/subsystem=keycloak/secure-deployment=" + cliQuote(dep) + "/credential=" + e.k + ":add(value=" + v + ")\n")
		}
	}
	return b.String()
}
