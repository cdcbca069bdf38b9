package kctest

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"hash"
	"slices"
	"strconv"
	"strings"

	"crypto/pbkdf2"

	"golang.org/x/crypto/argon2"
)

// user is a realm user. Usernames are stored lower-cased, as Keycloak does.
type user struct {
	id               string
	username         string
	email            string
	firstName        string
	lastName         string
	emailVerified    bool
	enabled          bool
	createdTimestamp int64 // epoch milliseconds
	attributes       map[string][]string
	requiredActions  []string
	notBefore        int64
	password         *passwordCredential
	// rawCredentials keeps imported non-password credentials (OTP...).
	rawCredentials []json.RawMessage

	roles  []*role  // direct realm and client role mappings
	groups []*group // direct group memberships

	serviceAccountClient *client // set for service-account users

	// federated are the user's identity-provider links (admin_users.go).
	federated []federatedLink
}

// newUserModel returns an enabled user holding the realm's default role as
// a direct mapping; it is not added to the realm. Keycloak:
// JpaUserProvider.addUser grants realm.getDefaultRole() when it adds a user
// with addDefaultRoles (the admin API, service accounts, the bootstrap
// admin). Keycloak's realm import adds users without it and relies on the
// export listing default-roles-{realm}; kctest grants it to imported users
// too, so that hand-written realm files behave like exported ones.
func (rm *realm) newUserModel(username string, nowMillis int64) *user {
	u := &user{
		id: newID(), username: strings.ToLower(username), enabled: true,
		createdTimestamp: nowMillis, attributes: map[string][]string{},
		requiredActions: []string{},
	}
	if rm.defaultRole != nil {
		u.roles = []*role{rm.defaultRole}
	}
	return u
}

// findUserByUsername finds a user by username, case-insensitively.
func (rm *realm) findUserByUsername(username string) *user {
	username = strings.ToLower(username)
	for _, u := range rm.users {
		if u.username == username {
			return u
		}
	}
	return nil
}

// findUserByEmail finds a user by e-mail, case-insensitively.
func (rm *realm) findUserByEmail(email string) *user {
	if email == "" {
		return nil
	}
	for _, u := range rm.users {
		if strings.EqualFold(u.email, email) {
			return u
		}
	}
	return nil
}

// findUserForLogin resolves a login name: username first, then e-mail.
func (rm *realm) findUserForLogin(name string) *user {
	if u := rm.findUserByUsername(name); u != nil {
		return u
	}
	return rm.findUserByEmail(name)
}

// fullName is the "name" claim.
func (u *user) fullName() string {
	return strings.TrimSpace(u.firstName + " " + u.lastName)
}

func (u *user) addRole(r *role) {
	if !slices.Contains(u.roles, r) {
		u.roles = append(u.roles, r)
	}
}

func (u *user) removeRole(r *role) {
	u.roles = slices.DeleteFunc(u.roles, func(x *role) bool { return x == r })
}

func (u *user) joinGroup(g *group) {
	if !slices.Contains(u.groups, g) {
		u.groups = append(u.groups, g)
	}
}

func (u *user) leaveGroup(g *group) {
	u.groups = slices.DeleteFunc(u.groups, func(x *group) bool { return x == g })
}

// passwordCredential is a stored password: plaintext (seeded or imported as
// "value") or a Keycloak hash.
type passwordCredential struct {
	plain      string
	algorithm  string // argon2, pbkdf2-sha256, pbkdf2-sha512, pbkdf2
	iterations int
	hash       []byte
	salt       []byte
	params     map[string]string // argon2 additionalParameters
	temporary  bool
	label      string // the credential's userLabel
}

// setPassword stores a plaintext password.
func (u *user) setPassword(pw string, temporary bool) {
	var label string
	if u.password != nil {
		// Keycloak's PasswordCredentialProvider updates the stored
		// credential in place: its id and userLabel stay.
		label = u.password.label
	}
	u.password = &passwordCredential{plain: pw, temporary: temporary, label: label}
	if temporary && !slices.Contains(u.requiredActions, "UPDATE_PASSWORD") {
		u.requiredActions = append(u.requiredActions, "UPDATE_PASSWORD")
	}
}

// checkPassword reports whether pw is the user's password.
func (u *user) checkPassword(pw string) bool {
	if u.password == nil || pw == "" {
		return false
	}
	return u.password.verify(pw)
}

func (p *passwordCredential) verify(pw string) bool {
	if p.algorithm == "" {
		return subtle.ConstantTimeCompare([]byte(p.plain), []byte(pw)) == 1
	}
	var got []byte
	switch p.algorithm {
	case "argon2":
		mem := atoiDefault(p.params["memory"], 7168)
		par := atoiDefault(p.params["parallelism"], 1)
		it := p.iterations
		if it <= 0 {
			it = 5
		}
		// Bound the cost so a hostile import cannot exhaust the host.
		if mem <= 0 || mem > 1<<17 || par <= 0 || par > 16 || it > 100 {
			return false
		}
		keyLen := uint32(len(p.hash))
		switch p.params["type"] {
		case "i":
			got = argon2.Key([]byte(pw), p.salt, uint32(it), uint32(mem), uint8(par), keyLen)
		case "", "id":
			got = argon2.IDKey([]byte(pw), p.salt, uint32(it), uint32(mem), uint8(par), keyLen)
		default:
			return false
		}
	case "pbkdf2", "pbkdf2-sha256", "pbkdf2-sha512":
		var h func() hash.Hash
		switch p.algorithm {
		case "pbkdf2":
			h = sha1.New
		case "pbkdf2-sha256":
			h = sha256.New
		default:
			h = sha512.New
		}
		if p.iterations <= 0 || p.iterations > 10_000_000 {
			return false
		}
		var err error
		got, err = pbkdf2.Key(h, pw, p.salt, p.iterations, len(p.hash))
		if err != nil {
			return false
		}
	default:
		return false
	}
	return len(p.hash) > 0 && subtle.ConstantTimeCompare(got, p.hash) == 1
}

// credentialData is the password's PasswordCredentialData as Keycloak
// reports it: the stored hash's algorithm, iterations and parameters, or
// Keycloak 26's default argon2 hash for a password kctest holds in plain.
func (p *passwordCredential) credentialData() string {
	type data struct {
		HashIterations       int                 `json:"hashIterations"`
		Algorithm            string              `json:"algorithm"`
		AdditionalParameters map[string][]string `json:"additionalParameters"`
	}
	d := data{HashIterations: p.iterations, Algorithm: p.algorithm, AdditionalParameters: map[string][]string{}}
	if p.algorithm == "" {
		d.HashIterations, d.Algorithm = 5, "argon2"
		d.AdditionalParameters = map[string][]string{
			"hashLength": {"32"}, "memory": {"7168"}, "type": {"id"}, "version": {"1.3"}, "parallelism": {"1"},
		}
	}
	for k, v := range p.params {
		d.AdditionalParameters[k] = []string{v}
	}
	b, _ := json.Marshal(d)
	return string(b)
}

func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}

// credentialRep is a CredentialRepresentation of a realm export.
type credentialRep struct {
	Type           string `json:"type"`
	Value          string `json:"value"`
	Temporary      bool   `json:"temporary"`
	UserLabel      string `json:"userLabel"`
	SecretData     string `json:"secretData"`
	CredentialData string `json:"credentialData"`
	// Pre-KC-11 exports carried the hash inline.
	HashedSaltedValue string `json:"hashedSaltedValue"`
	Salt              string `json:"salt"`
	HashIterations    int    `json:"hashIterations"`
	Algorithm         string `json:"algorithm"`
}

// passwordFromRep decodes a password credential; ok is false for another
// credential type.
func passwordFromRep(c credentialRep) (p *passwordCredential, ok bool, err error) {
	if c.Type != "" && c.Type != "password" {
		return nil, false, nil
	}
	defer func() {
		if p != nil {
			p.label = c.UserLabel
		}
	}()
	if c.Value != "" {
		return &passwordCredential{plain: c.Value, temporary: c.Temporary}, true, nil
	}
	if c.HashedSaltedValue != "" {
		h, err1 := base64.StdEncoding.DecodeString(c.HashedSaltedValue)
		s, err2 := base64.StdEncoding.DecodeString(c.Salt)
		if err1 != nil || err2 != nil {
			return nil, true, errBadCredential
		}
		return &passwordCredential{algorithm: c.Algorithm, iterations: c.HashIterations, hash: h, salt: s}, true, nil
	}
	var secret struct {
		Value string `json:"value"`
		Salt  string `json:"salt"`
	}
	var data struct {
		HashIterations       int                 `json:"hashIterations"`
		Algorithm            string              `json:"algorithm"`
		AdditionalParameters map[string][]string `json:"additionalParameters"`
	}
	if err := json.Unmarshal([]byte(c.SecretData), &secret); err != nil {
		return nil, true, errBadCredential
	}
	if err := json.Unmarshal([]byte(c.CredentialData), &data); err != nil {
		return nil, true, errBadCredential
	}
	h, err1 := base64.StdEncoding.DecodeString(secret.Value)
	s, err2 := base64.StdEncoding.DecodeString(secret.Salt)
	if err1 != nil || err2 != nil {
		return nil, true, errBadCredential
	}
	params := map[string]string{}
	for k, v := range data.AdditionalParameters {
		if len(v) > 0 {
			params[k] = v[0]
		}
	}
	return &passwordCredential{algorithm: data.Algorithm, iterations: data.HashIterations, hash: h, salt: s, params: params, temporary: c.Temporary}, true, nil
}

type importError string

func (e importError) Error() string { return string(e) }

const errBadCredential = importError("kctest: malformed password credential")
