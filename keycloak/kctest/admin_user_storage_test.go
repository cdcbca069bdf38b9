package kctest_test

import (
	"encoding/json"
	"net"
	"testing"
)

// closedLDAPURL returns an ldap:// URL of a loopback port nothing listens
// on.
func closedLDAPURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "ldap://" + addr
}

// TestUserStorageWithoutLDAP pins UserStorageProviderResource,
// TestLdapConnectionResource and LdapServerCapabilitiesResource as
// Keycloak answers them when no LDAP server answers: errors are 400 with
// the code of LDAPServerCapabilitiesManager.getErrorCode (a refused
// connection is ConnectionFailed), a provider that does not import is
// ignored by UserStorageSyncManager, and the 404s name what is missing.
func TestUserStorageWithoutLDAP(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	const realm = "/admin/realms/acme"
	down := closedLDAPURL(t)
	ldapID := createdID(t, adminDo(t, s, tok, "POST", realm+"/components", `{"name":"corp-ldap","providerId":"ldap","providerType":"org.keycloak.storage.UserStorageProvider","config":{"connectionUrl":["`+down+`"],"enabled":["true"]}}`))
	kerbID := createdID(t, adminDo(t, s, tok, "POST", realm+"/components", `{"name":"kerb","providerId":"kerberos","providerType":"org.keycloak.storage.UserStorageProvider","config":{}}`))
	mapperID := createdID(t, adminDo(t, s, tok, "POST", realm+"/components", `{"name":"groups","providerId":"group-ldap-mapper","providerType":"org.keycloak.storage.ldap.mappers.LDAPStorageMapper","parentId":"`+ldapID+`","config":{}}`))
	var keyID string
	{
		res := adminDo(t, s, tok, "GET", realm+"/components?type=org.keycloak.keys.KeyProvider", "")
		var list []struct{ ID string }
		_ = json.Unmarshal(res.body, &list)
		if len(list) > 0 {
			keyID = list[0].ID
		}
	}
	ldapOpen, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ldapOpen.Close() })
	up := "ldap://" + ldapOpen.Addr().String()

	tests := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"name", "GET", "/user-storage/" + ldapID + "/name", "", 200, `{"id":"` + ldapID + `","name":"corp-ldap"}`},
		{"name of nothing", "GET", "/user-storage/nope/name", "", 404, `{"error":"Could not find component"}`},
		{"name of a key provider", "GET", "/user-storage/" + keyID + "/name", "", 404, `{"error":"Found, but not a UserStorageProvider"}`},
		{"full sync, LDAP down", "POST", "/user-storage/" + ldapID + "/sync?action=triggerFullSync", "", 400, `{"errorMessage":"ConnectionFailed"}`},
		{"changed sync, not importing", "POST", "/user-storage/" + kerbID + "/sync?action=triggerChangedUsersSync", "", 200,
			`{"added":0,"failed":0,"ignored":true,"removed":0,"status":"0 imported users, 0 updated users","updated":0}`},
		{"sync without action", "POST", "/user-storage/" + ldapID + "/sync", "", 400, `{"error":"Missing action"}`},
		{"sync, unknown action", "POST", "/user-storage/" + ldapID + "/sync?action=x", "", 400, `{"error":"Unknown action: x"}`},
		{"remove imported users", "POST", "/user-storage/" + ldapID + "/remove-imported-users", "", 204, ``},
		{"unlink users", "POST", "/user-storage/" + ldapID + "/unlink-users", "", 204, ``},
		{"unlink users of nothing", "POST", "/user-storage/nope/unlink-users", "", 404, `{"error":"Could not find component"}`},
		{"mapper sync, LDAP down", "POST", "/user-storage/" + ldapID + "/mappers/" + mapperID + "/sync?direction=fedToKeycloak", "", 400, `{"errorMessage":"ConnectionFailed"}`},
		{"mapper sync, bad direction", "POST", "/user-storage/" + ldapID + "/mappers/" + mapperID + "/sync?direction=up", "", 400, `{"error":"Unknown direction: up"}`},
		{"mapper sync, no parent", "POST", "/user-storage/nope/mappers/" + mapperID + "/sync?direction=fedToKeycloak", "", 404, `{"error":"Parent model not found"}`},
		{"mapper sync, no mapper", "POST", "/user-storage/" + ldapID + "/mappers/nope/sync?direction=fedToKeycloak", "", 404, `{"error":"Mapper model not found"}`},
		{"test connection, down", "POST", "/testLDAPConnection", `{"action":"testConnection","connectionUrl":"` + down + `"}`, 400, `{"errorMessage":"ConnectionFailed"}`},
		{"test connection, reachable", "POST", "/testLDAPConnection", `{"action":"testConnection","connectionUrl":"` + up + `","connectionTimeout":"1000"}`, 204, ``},
		{"test authentication, reachable", "POST", "/testLDAPConnection", `{"action":"testAuthentication","connectionUrl":"` + up + `","authType":"simple","bindDn":"cn=admin","bindCredential":"pw"}`, 400, `{"errorMessage":"AuthenticationFailure"}`},
		{"test authentication without bind DN", "POST", "/testLDAPConnection", `{"action":"testAuthentication","connectionUrl":"` + up + `","authType":"simple"}`, 400, `{"errorMessage":"InvalidBindDN"}`},
		{"test, unknown action", "POST", "/testLDAPConnection", `{"action":"x","connectionUrl":"` + up + `"}`, 400, `{"errorMessage":"NamingError"}`},
		{"test, not an LDAP URL", "POST", "/testLDAPConnection", `{"action":"testConnection","connectionUrl":"http://` + ldapOpen.Addr().String() + `"}`, 400, `{"errorMessage":"MalformedURL"}`},
		{"capabilities, down", "POST", "/ldap-server-capabilities", `{"action":"queryServerCapabilities","connectionUrl":"` + down + `"}`, 400, `{"errorMessage":"ldapServerCapabilities error"}`},
		{"capabilities, other action", "POST", "/ldap-server-capabilities", `{"action":"x"}`, 200, `[]`},
	}
	for _, tt := range tests {
		wantBody(t, tt.name, adminDo(t, s, tok, tt.method, realm+tt.path, tt.body), tt.status, tt.want)
	}
	wantBody(t, "without a token", adminDo(t, s, "", "POST", realm+"/testLDAPConnection", `{}`), 401, `{"error":"HTTP 401 Unauthorized"}`)
}
