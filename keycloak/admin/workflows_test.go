package admin_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
)

// TestWorkflows runs every WorkflowsService method against a kctest with
// the workflows feature.
func TestWorkflows(t *testing.T) {
	t.Parallel()
	clock := kctest.NewFakeClock(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	e := setup(t, kctest.WithFeatures("workflows"), kctest.WithClock(clock.Now))
	ctx := t.Context()
	wfs := e.realm.Workflows
	id := must[string](t)(wfs.Create(ctx, &admin.Workflow{Name: "offboard", On: "user_created",
		Steps: []admin.WorkflowStep{{Uses: "notify-user", After: "5d"}, {Uses: "disable-user", After: "30d"}}}))
	other := must[string](t)(wfs.Create(ctx, &admin.Workflow{Name: "cleanup", Steps: []admin.WorkflowStep{{Uses: "delete-user"}}}))
	got := must[*admin.Workflow](t)(wfs.Get(ctx, id, false))
	if got.ID != id || got.Name != "offboard" || len(got.Steps) != 2 || got.Steps[0].ID == "" {
		t.Fatalf("Get: %+v", got)
	}
	if bare := must[*admin.Workflow](t)(wfs.Get(ctx, id, true)); bare.ID != "" || bare.Steps[0].ID != "" {
		t.Errorf("Get without ids: %+v", bare)
	}
	if list := must[[]admin.Workflow](t)(wfs.List(ctx, &admin.WorkflowListOptions{Search: "clean"})); len(list) != 1 || list[0].ID != other {
		t.Errorf("List search: %+v", list)
	}
	if list := must[[]admin.Workflow](t)(wfs.List(ctx, &admin.WorkflowListOptions{Max: 1})); len(list) != 1 {
		t.Errorf("List max 1: %d", len(list))
	}
	userID := must[string](t)(e.realm.Users.Create(ctx, &admin.User{Username: "alice"}))
	check(t, wfs.Activate(ctx, id, admin.WorkflowResourceUsers, userID, "60"))
	sched := must[[]admin.Workflow](t)(wfs.Scheduled(ctx, userID))
	if len(sched) != 1 || sched[0].Steps[0].Status != "PENDING" || sched[0].Steps[0].ScheduledAt != clock.Now().Add(time.Minute).UnixMilli() {
		t.Fatalf("Scheduled after Activate with notBefore 60: %+v", sched)
	}
	o := must[*admin.Workflow](t)(wfs.Get(ctx, other, false))
	check(t, wfs.Migrate(ctx, got.Steps[0].ID, o.Steps[0].ID))
	if sched := must[[]admin.Workflow](t)(wfs.Scheduled(ctx, userID)); len(sched) != 1 || sched[0].ID != other {
		t.Errorf("Scheduled after Migrate: %+v", sched)
	}
	check(t, wfs.Deactivate(ctx, other, admin.WorkflowResourceUsers, userID))
	if sched := must[[]admin.Workflow](t)(wfs.Scheduled(ctx, userID)); len(sched) != 0 {
		t.Errorf("Scheduled after Deactivate: %+v", sched)
	}
	if err := wfs.Activate(ctx, id, admin.WorkflowResourceUsers, "nope", ""); !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("Activate of an unknown user: %v", err)
	}
	got.Name = "offboarding"
	check(t, wfs.Update(ctx, id, got))
	if n := must[*admin.Workflow](t)(wfs.Get(ctx, id, false)).Name; n != "offboarding" {
		t.Errorf("Name after Update = %q", n)
	}
	check(t, wfs.Delete(ctx, id))
	if _, err := wfs.Get(ctx, id, false); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}
	for name, err := range map[string]error{
		"workflow":   func() error { _, err := wfs.Create(ctx, nil); return err }(),
		"resourceID": wfs.Deactivate(ctx, other, admin.WorkflowResourceUsers, ""),
		"toStepID":   wfs.Migrate(ctx, "a", ""),
	} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("missing %s: %v", name, err)
		}
	}
}

// TestWorkflowsFeatureOff: Keycloak 26's default leaves workflows off.
func TestWorkflowsFeatureOff(t *testing.T) {
	t.Parallel()
	e := setup(t)
	if _, err := e.realm.Workflows.List(t.Context(), nil); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("List with the feature off: %v, want ErrNotFound", err)
	}
}
