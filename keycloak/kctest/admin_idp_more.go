package kctest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
)

// The identity-provider endpoints beside the instances' CRUD, as Keycloak's
// IdentityProvidersResource and IdentityProviderResource serve them:
// provider factories, import-config, upload-certificate, and per instance
// mapper-types, export and reload-keys.

// idpFactoryNames are the identity provider factories' ids and names
// (IdentityProviderFactory.getId and getName, which is what Jackson
// writes of a factory).
var idpFactoryNames = map[string]string{
	"oidc": "OpenID Connect v1.0", "keycloak-oidc": "Keycloak OpenID Connect", "saml": "SAML v2.0",
	"github": "GitHub", "google": "Google", "facebook": "Facebook", "microsoft": "Microsoft", "gitlab": "GitLab",
	"bitbucket": "BitBucket", "linkedin-openid-connect": "LinkedIn OpenID Connect", "twitter": "Twitter",
	"stackoverflow": "StackOverflow", "instagram": "Instagram", "paypal": "PayPal",
	"openshift-v4": "Openshift v4", "openshift-v3": "Openshift v3",
}

// importFetchTimeout and importFetchLimit bound import-config's fetch of
// fromUrl.
const (
	importFetchTimeout = 10 * time.Second
	importFetchLimit   = 1 << 20
)

func (s *Server) registerAdminIdentityProvidersMore(mux *http.ServeMux) {
	const p = "/admin/realms/{realm}/identity-provider"
	s.handle(mux, "GET", p+"/providers/{provider}", s.admin(permViewRealm, func(w http.ResponseWriter, r *http.Request, _ *realm, _ *adminCaller) {
		id := r.PathValue("provider")
		name, ok := idpFactoryNames[id]
		if !ok {
			// IdentityProvidersResource.getIdentityProviderFactory throws a
			// bare BadRequestException.
			writeGenericError(w, http.StatusBadRequest, "HTTP 400 Bad Request")
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"id": id, "name": name})
	}))
	s.handle(mux, "POST", p+"/import-config", http.HandlerFunc(s.adminImportIdPConfig))
	s.handle(mux, "POST", p+"/upload-certificate", s.admin(permManageRealm, s.adminIdPUploadCertificate))

	one := p + "/instances/{alias}"
	with := func(perm adminPerm, h func(http.ResponseWriter, *http.Request, *realm, *identityProvider)) http.HandlerFunc {
		return s.admin(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
			pr := rm.findIdP(r.PathValue("alias"))
			if pr == nil {
				pr = rm.findIdPByID(r.PathValue("alias"))
			}
			if pr == nil {
				writeGenericError(w, http.StatusNotFound, "HTTP 404 Not Found")
				return
			}
			h(w, r, rm, pr)
		})
	}
	s.handle(mux, "GET", one+"/mapper-types", with(permViewRealm, func(w http.ResponseWriter, _ *http.Request, _ *realm, pr *identityProvider) {
		out := map[string]any{}
		for _, m := range idpMapperTypes(pr.providerID()) {
			out[m.ID] = m
		}
		writeJSON(w, http.StatusOK, out)
	}))
	s.handle(mux, "GET", one+"/reload-keys", with(permManageRealm, func(w http.ResponseWriter, _ *http.Request, _ *realm, pr *identityProvider) {
		// OIDCIdentityProvider.reloadKeys reloads the keys of a JWKS URL
		// (kctest fetches nothing); SAMLIdentityProvider.reloadKeys
		// those of a metadata descriptor URL; the others have none.
		switch pr.providerID() {
		case "oidc", "keycloak-oidc":
			writeJSON(w, http.StatusOK, pr.config["useJwksUrl"] == "true" && pr.config["jwksUrl"] != "")
		case "saml":
			writeJSON(w, http.StatusOK, pr.config["useMetadataDescriptorUrl"] == "true" && pr.config["metadataDescriptorUrl"] != "")
		default:
			writeJSON(w, http.StatusOK, false)
		}
	}))
	s.handle(mux, "GET", one+"/export", with(permViewRealm, s.adminExportIdP))
}

func (p *identityProvider) providerID() string {
	var id string
	_ = json.Unmarshal(p.rep["providerId"], &id)
	return id
}

// idpMapperType is an IdentityProviderMapperTypeRepresentation.
type idpMapperType struct {
	ID         string           `json:"id"`
	Name       string           `json:"name"`
	Category   string           `json:"category"`
	HelpText   string           `json:"helpText,omitempty"`
	Properties []configProperty `json:"properties"`
}

// idpMapperTypes returns the mappers a provider of type providerID
// supports (IdentityProvider.isMapperSupported): the hardcoded ones for
// every provider, the claim mappers for OIDC, the attribute mappers for
// SAML, an attribute importer for a social provider. Each has its id,
// name and category; the help text and properties of those whose factory
// kctest transcribes (HardcodedRoleMapper, HardcodedAttributeMapper,
// HardcodedGroupMapper, UserAttributeMapper), none for the others.
func idpMapperTypes(providerID string) []idpMapperType {
	m := func(id, name, category string) idpMapperType {
		return idpMapperType{ID: id, Name: name, Category: category, Properties: []configProperty{}}
	}
	role := m("oidc-hardcoded-role-idp-mapper", "Hardcoded Role", "Role Importer")
	role.HelpText = "When user is imported from provider, hardcode a role mapping for it."
	role.Properties = []configProperty{{Name: "role", Label: "Role", Type: "Role",
		HelpText: "Role to grant to user.  Click 'Select Role' button to browse roles, or just type it in the textbox.  To reference a client role the syntax is clientname.clientrole, i.e. myclient.myrole"}}
	attr := m("hardcoded-attribute-idp-mapper", "Hardcoded Attribute", "Attribute Importer")
	attr.HelpText = "When user is imported from provider, hardcode a value to a specific user attribute."
	attr.Properties = []configProperty{
		{Name: "attribute", Label: "User Attribute", Type: "String", HelpText: "Name of user attribute you want to hardcode"},
		{Name: "attribute.value", Label: "User Attribute Value", Type: "String", HelpText: "Value you want to hardcode"},
	}
	group := m("oidc-hardcoded-group-idp-mapper", "Hardcoded Group", "Group Importer")
	group.HelpText = "Assign the user to the specified group."
	group.Properties = []configProperty{{Name: "group", Label: "Group", Type: "Group", HelpText: "Group to assign the user."}}
	out := []idpMapperType{role, attr, group, m("hardcoded-user-session-attribute-idp-mapper", "Hardcoded User Session Attribute", "Attribute Importer")}
	switch providerID {
	case "oidc", "keycloak-oidc":
		userAttr := m("oidc-user-attribute-idp-mapper", "Attribute Importer", "Attribute Importer")
		userAttr.HelpText = "Import declared claim if it exists in ID, access token or the claim set returned by the user profile endpoint into the specified user property or attribute."
		userAttr.Properties = []configProperty{
			{Name: "claim", Label: "Claim", Type: "String",
				HelpText: "Name of claim to search for in token. You can reference nested claims using a '.', i.e. 'address.locality'. To use dot (.) literally, escape it with backslash (\\.)"},
			{Name: "user.attribute", Label: "User Attribute Name", Type: "String",
				HelpText: "User attribute name to store claim.  Use email, lastName, and firstName to map to those predefined user properties."},
		}
		out = append(out,
			m("oidc-role-idp-mapper", "Claim to Role", "Role Importer"),
			m("oidc-advanced-role-idp-mapper", "Advanced Claim to Role", "Role Importer"),
			m("oidc-advanced-group-idp-mapper", "Advanced Claim to Group", "Group Importer"),
			userAttr,
			m("oidc-username-idp-mapper", "Username Template Importer", "Preprocessor"),
		)
		if providerID == "keycloak-oidc" {
			out = append(out, m("keycloak-oidc-role-to-role-idp-mapper", "External Role to Role", "Role Importer"))
		}
	case "saml":
		out = append(out,
			m("saml-role-idp-mapper", "SAML Attribute to Role", "Role Importer"),
			m("saml-advanced-role-idp-mapper", "Advanced Attribute to Role", "Role Importer"),
			m("saml-advanced-group-idp-mapper", "Advanced Attribute to Group", "Group Importer"),
			m("saml-user-attribute-idp-mapper", "Attribute Importer", "Attribute Importer"),
			m("saml-username-idp-mapper", "Username Template Importer", "Preprocessor"),
			m("saml-xpath-attribute-idp-mapper", "XPath Attribute Importer", "Attribute Importer"),
		)
	default:
		if _, ok := idpFactoryNames[providerID]; ok {
			out = append(out, m(providerID+"-user-attribute-mapper", "Attribute Importer", "Attribute Importer"))
		}
	}
	return out
}

// adminImportIdPConfig is IdentityProvidersResource.importFrom: a JSON
// body {"providerId", "fromUrl"} whose URL the server fetches, or a
// multipart upload (providerId, file). The lock is released while the URL
// is fetched, so that the URL may be this server's own.
func (s *Server) adminImportIdPConfig(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	_, ok := s.adminAuth(w, r, r.PathValue("realm"), permManageRealm)
	ok = ok && s.checkBody(w, r)
	now := s.clock.Now()
	s.mu.Unlock()
	if !ok {
		return
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var providerID, doc, from string
	if strings.HasPrefix(mt, "multipart/") {
		form, ok := readMultipart(r)
		if !ok || form["providerId"] == nil || form["file"] == nil {
			writeGenericError(w, http.StatusBadRequest, "HTTP 400 Bad Request")
			return
		}
		providerID, doc = string(form["providerId"]), string(form["file"])
	} else {
		var in map[string]any
		if !decodeAdminJSON(w, r, &in) {
			return
		}
		pid, ok1 := in["providerId"]
		fu, ok2 := in["fromUrl"]
		if !ok1 || !ok2 {
			writeGenericError(w, http.StatusBadRequest, "HTTP 400 Bad Request")
			return
		}
		providerID, from = fmt.Sprint(pid), fmt.Sprint(fu)
		b, err := fetchImportURL(r.Context(), from)
		if err != nil {
			writeOAuthError(w, http.StatusInternalServerError, "unknown_error", "For more on this error consult the server log.")
			return
		}
		doc = string(b)
	}
	var cfg map[string]string
	var err error
	switch providerID {
	case "oidc", "keycloak-oidc":
		cfg, err = parseOIDCDiscovery(doc)
	case "saml":
		cfg, err = parseSAMLMetadata(doc, now)
	default:
		if _, ok := idpFactoryNames[providerID]; !ok {
			// ResourcesUtil.getProviderFactoryById finds none: a
			// NullPointerException, answered 500.
			writeOAuthError(w, http.StatusInternalServerError, "unknown_error", "For more on this error consult the server log.")
			return
		}
		cfg = map[string]string{} // social providers parse nothing
	}
	if err != nil {
		writeOAuthError(w, http.StatusInternalServerError, "unknown_error", "For more on this error consult the server log.")
		return
	}
	if from != "" {
		cfg["metadataDescriptorUrl"] = from
	}
	writeJSON(w, http.StatusOK, cfg)
}

// fetchImportURL GETs exactly u: no redirect is followed, the answer must
// be a 2xx within importFetchTimeout, and at most importFetchLimit bytes
// are read.
func fetchImportURL(ctx context.Context, u string) ([]byte, error) {
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return nil, errors.New("not an http(s) URL")
	}
	ctx, cancel := context.WithTimeout(ctx, importFetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, err
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s answered %d", u, resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, importFetchLimit+1))
	if err != nil {
		return nil, err
	}
	if len(b) > importFetchLimit {
		return nil, errors.New("document too large")
	}
	return b, nil
}

// parseOIDCDiscovery is OIDCIdentityProviderFactory.parseOIDCConfig: the
// endpoints of an OpenID Provider's metadata, and its JWKS URL for
// signature validation. Absent endpoints are left out.
func parseOIDCDiscovery(doc string) (map[string]string, error) {
	var rep struct {
		Issuer                string `json:"issuer"`
		AuthorizationEndpoint string `json:"authorization_endpoint"`
		TokenEndpoint         string `json:"token_endpoint"`
		UserinfoEndpoint      string `json:"userinfo_endpoint"`
		EndSessionEndpoint    string `json:"end_session_endpoint"`
		JwksURI               string `json:"jwks_uri"`
	}
	if err := json.Unmarshal([]byte(doc), &rep); err != nil {
		return nil, err
	}
	cfg := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			cfg[k] = v
		}
	}
	set("issuer", rep.Issuer)
	set("logoutUrl", rep.EndSessionEndpoint)
	set("authorizationUrl", rep.AuthorizationEndpoint)
	set("tokenUrl", rep.TokenEndpoint)
	set("userInfoUrl", rep.UserinfoEndpoint)
	if rep.JwksURI != "" {
		cfg["validateSignature"] = "true"
		cfg["useJwksUrl"] = "true"
		cfg["jwksUrl"] = rep.JwksURI
	}
	return cfg, nil
}

const (
	samlPOSTBinding     = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
	samlRedirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
)

type samlEntity struct {
	XMLName    xml.Name `xml:"EntityDescriptor"`
	EntityID   string   `xml:"entityID,attr"`
	ValidUntil string   `xml:"validUntil,attr"`
	IDP        []struct {
		WantAuthnRequestsSigned bool `xml:"WantAuthnRequestsSigned,attr"`
		Keys                    []struct {
			Use  string `xml:"use,attr"`
			Cert string `xml:"KeyInfo>X509Data>X509Certificate"`
		} `xml:"KeyDescriptor"`
		NameIDFormats []string       `xml:"NameIDFormat"`
		SSO           []samlEndpoint `xml:"SingleSignOnService"`
		SLO           []samlEndpoint `xml:"SingleLogoutService"`
	} `xml:"IDPSSODescriptor"`
}

type samlEndpoint struct {
	Binding  string `xml:"Binding,attr"`
	Location string `xml:"Location,attr"`
}

// parseSAMLMetadata is SAMLIdentityProviderFactory.parseConfig for an
// EntityDescriptor with an IDPSSODescriptor: the POST single sign-on
// service if there is one (else the redirect one), the logout service of
// the same binding, the first NameID format, the signing certificates
// (comma-separated) and the encryption key, and whether the metadata is
// still valid.
func parseSAMLMetadata(doc string, now time.Time) (map[string]string, error) {
	var ent samlEntity
	if err := xml.Unmarshal([]byte(doc), &ent); err != nil {
		return nil, err
	}
	cfg := map[string]string{}
	if len(ent.IDP) == 0 {
		return cfg, nil
	}
	idp := ent.IDP[0]
	var sso, slo string
	postResponse, postLogout := false, false
	for _, e := range idp.SSO {
		if e.Binding == samlPOSTBinding {
			sso, postResponse = e.Location, true
			break
		}
		if e.Binding == samlRedirectBinding {
			sso = e.Location
		}
	}
	for _, e := range idp.SLO {
		if postResponse && e.Binding == samlPOSTBinding {
			slo, postLogout = e.Location, true
			break
		}
		if !postResponse && e.Binding == samlRedirectBinding {
			slo = e.Location
			break
		}
	}
	tf := func(b bool) string { return fmt.Sprint(b) }
	cfg["idpEntityId"] = ent.EntityID
	if slo != "" {
		cfg["singleLogoutServiceUrl"] = slo
	}
	if sso != "" {
		cfg["singleSignOnServiceUrl"] = sso
	}
	cfg["wantAuthnRequestsSigned"] = tf(idp.WantAuthnRequestsSigned)
	cfg["addExtensionsElementWithKeyInfo"] = "false"
	cfg["validateSignature"] = tf(idp.WantAuthnRequestsSigned)
	cfg["postBindingResponse"] = tf(postResponse)
	cfg["postBindingAuthnRequest"] = tf(postResponse)
	cfg["postBindingLogout"] = tf(postLogout)
	cfg["loginHint"] = "false"
	cfg["artifactBindingResponse"] = "false"
	if len(idp.NameIDFormats) > 0 {
		cfg["nameIDPolicyFormat"] = strings.TrimSpace(idp.NameIDFormats[0])
	}
	var signing []string
	for _, k := range idp.Keys {
		cert := strings.TrimSpace(k.Cert)
		if cert == "" {
			continue
		}
		switch k.Use {
		case "encryption":
			cfg["encryptionPublicKey"] = cert
		default:
			signing = append(signing, cert)
		}
	}
	if len(signing) > 0 {
		cfg["signingCertificate"] = strings.Join(signing, ",")
		cfg["validateSignature"] = "true"
	}
	enabled := true
	if ent.ValidUntil != "" {
		if t, err := time.Parse(time.RFC3339, ent.ValidUntil); err == nil {
			enabled = t.After(now)
		}
	}
	cfg["enabledFromMetadata"] = tf(enabled)
	return cfg, nil
}

// adminIdPUploadCertificate is IdentityProvidersResource.uploadCertificate:
// the form of a client certificate upload, answered with the public key of
// an uploaded certificate added, and nothing stored.
func (s *Server) adminIdPUploadCertificate(w http.ResponseWriter, r *http.Request, _ *realm, _ *adminCaller) {
	form, ok := readMultipart(r)
	if !ok {
		writeGenericError(w, http.StatusUnsupportedMediaType, "HTTP 415 Unsupported Media Type")
		return
	}
	info, ok := certificateFromForm(w, form)
	if !ok {
		return
	}
	switch {
	case info.JWKS != "" || info.PublicKey != "":
	case info.Certificate != "":
		cert, err := parseCertificateText(info.Certificate)
		if err != nil {
			writeOAuthError(w, http.StatusInternalServerError, "unknown_error", "For more on this error consult the server log.")
			return
		}
		info.PublicKey = base64.StdEncoding.EncodeToString(cert.RawSubjectPublicKeyInfo)
	default:
		writeOAuthError(w, http.StatusBadRequest, "certificate-not-found", "Invalid certificate/key in file")
		return
	}
	writeJSON(w, http.StatusOK, info)
}

// adminExportIdP is IdentityProviderResource.export: a SAML provider's
// SP metadata (SAMLIdentityProvider.export); any other provider answers
// 204, as AbstractIdentityProvider.export does.
func (s *Server) adminExportIdP(w http.ResponseWriter, r *http.Request, rm *realm, p *identityProvider) {
	if p.providerID() != "saml" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	issuer := s.issuer(r, rm.name)
	entityID := p.config["entityId"]
	if entityID == "" {
		entityID = issuer
	}
	endpoint := issuer + "/broker/" + escapeSegment(p.alias()) + "/endpoint"
	binding := samlRedirectBinding
	if p.config["postBindingResponse"] == "true" {
		binding = samlPOSTBinding
	}
	nameID := p.config["nameIDPolicyFormat"]
	if nameID == "" {
		nameID = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
	}
	esc := func(v string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(v))
		return b.String()
	}
	var b strings.Builder
	b.WriteString(`<md:EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="` + esc(entityID) + `">`)
	fmt.Fprintf(&b, `<md:SPSSODescriptor AuthnRequestsSigned="%t" WantAssertionsSigned="%t" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol urn:oasis:names:tc:SAML:1.1:protocol http://schemas.xmlsoap.org/ws/2003/07/secext">`,
		p.config["wantAuthnRequestsSigned"] == "true", p.config["wantAssertionsSigned"] == "true")
	if p.config["wantAuthnRequestsSigned"] == "true" {
		k := rm.activeKey()
		b.WriteString(`<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:KeyName>` + esc(k.kid) + `</ds:KeyName><ds:X509Data><ds:X509Certificate>` +
			base64.StdEncoding.EncodeToString(k.key.cert) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
	}
	b.WriteString(`<md:SingleLogoutService Binding="` + binding + `" Location="` + esc(endpoint) + `"/>`)
	b.WriteString(`<md:NameIDFormat>` + esc(nameID) + `</md:NameIDFormat>`)
	b.WriteString(`<md:AssertionConsumerService Binding="` + binding + `" Location="` + esc(endpoint) + `" index="1" isDefault="true"/>`)
	b.WriteString(`</md:SPSSODescriptor></md:EntityDescriptor>`)
	w.Header().Set("Content-Type", "application/xml;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(b.String()))
}
