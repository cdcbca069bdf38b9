package admin_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// TestUserCredentialLabel sets a password credential's label as Keycloak's
// UserResource.setCredentialUserLabel does: the raw text/plain body
// becomes the label, an unknown credential is 404, a blank label is
// refused before anything is sent.
func TestUserCredentialLabel(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	users := e.realm.Users
	id := must[string](t)(users.Create(ctx, &admin.User{Username: "alice", Enabled: kc.Ptr(true)}))
	check(t, users.ResetPassword(ctx, id, "s3cret-Pass", false))
	creds := must[[]admin.Credential](t)(users.Credentials(ctx, id))
	if len(creds) != 1 {
		t.Fatalf("Credentials = %+v", creds)
	}
	const label = `My "work" password ü`
	check(t, users.SetCredentialLabel(ctx, id, creds[0].ID, label))
	creds = must[[]admin.Credential](t)(users.Credentials(ctx, id))
	if got := creds[0].UserLabel; got != label {
		t.Errorf("UserLabel = %q, want %q", got, label)
	}
	// A new password updates the credential in place: the label stays.
	check(t, users.ResetPassword(ctx, id, "0ther-Pass", false))
	if got := must[[]admin.Credential](t)(users.Credentials(ctx, id))[0].UserLabel; got != label {
		t.Errorf("UserLabel after a password reset = %q, want %q", got, label)
	}
	if err := users.SetCredentialLabel(ctx, id, "no-such-credential", "x"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("unknown credential: %v, want ErrNotFound", err)
	}
	if err := users.SetCredentialLabel(ctx, id, creds[0].ID, "  "); err == nil || !strings.Contains(err.Error(), "label") {
		t.Errorf("blank label: %v, want an error naming label", err)
	}
}

// TestUserUnmanagedAttributes reads the attributes the user profile does
// not declare (UserResource.getUnmanagedAttributes).
func TestUserUnmanagedAttributes(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	users := e.realm.Users
	cfg := must[*admin.UserProfileConfig](t)(users.Profile(ctx))
	cfg.UnmanagedAttributePolicy = "ENABLED"
	cfg.Attributes = append(cfg.Attributes, admin.UserProfileAttribute{Name: "department"})
	must[*admin.UserProfileConfig](t)(users.UpdateProfile(ctx, cfg))
	id := must[string](t)(users.Create(ctx, &admin.User{
		Username: "bob", Email: kc.Ptr("bob@example.com"), FirstName: kc.Ptr("Bob"),
		Attributes: map[string][]string{"department": {"sales"}, "shoeSize": {"44"}, "nickname": {"bobby", "b"}, "blank": {" "}},
	}))
	got := must[map[string][]string](t)(users.UnmanagedAttributes(ctx, id))
	want := map[string][]string{"shoeSize": {"44"}, "nickname": {"bobby", "b"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("UnmanagedAttributes (-want +got):\n%s", diff)
	}
	if _, err := users.UnmanagedAttributes(ctx, "no-such-user"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("unknown user: %v, want ErrNotFound", err)
	}
}
