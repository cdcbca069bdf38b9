package admin_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// TestServerInfo: the version, mapper types and enums callers read from
// ServerInfoAdminResource.getInfo.
func TestServerInfo(t *testing.T) {
	t.Parallel()
	e := setup(t)
	si := must[*admin.ServerInfo](t)(e.c.ServerInfo(t.Context()))
	if si.SystemInfo.Version == "" || len(si.ProtocolMapperTypes["openid-connect"]) == 0 || len(si.Enums["sslRequired"]) != 3 {
		t.Errorf("serverinfo = %+v", si)
	}
	if _, ok := si.Extra["cryptoInfo"]; !ok {
		t.Errorf("cryptoInfo not kept in Extra: %v", si.Extra)
	}
	var ids []string
	for _, m := range si.ProtocolMapperTypes["openid-connect"] {
		ids = append(ids, m.ID)
	}
	if !slices.Contains(ids, "oidc-audience-mapper") {
		t.Errorf("mapper types = %q", ids)
	}
}

// TestWhoAmI follows AdminConsole.whoAmI: a master admin sees its roles of
// every realm's <realm>-realm client and createRealm; a token of another
// realm than the path's is 401.
func TestWhoAmI(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	me := must[*admin.WhoAmI](t)(e.c.WhoAmI(ctx, "master", "acme"))
	if me.Realm != "master" || !me.CreateRealm || me.DisplayName == "" || !slices.Contains(me.RealmAccess["acme"], "manage-users") {
		t.Errorf("whoami = %+v", me)
	}
	if _, err := e.c.WhoAmI(ctx, "acme", ""); !errors.Is(err, kc.ErrUnauthorized) {
		t.Errorf("whoami in a realm the token is not of: %v, want ErrUnauthorized", err)
	}
	if _, err := e.c.WhoAmI(ctx, "master", "nope"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("unknown currentRealm: %v", err)
	}
}
