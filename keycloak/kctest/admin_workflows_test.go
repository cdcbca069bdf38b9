package kctest_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/kcgo/kc/keycloak/kctest"
)

// TestWorkflowsOff: Keycloak 26's WORKFLOWS feature is experimental, so
// off by default, and WorkflowsResource's constructor then throws a bare
// NotFoundException.
func TestWorkflowsOff(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	wantBody(t, "list", adminDo(t, s, tok, "GET", "/admin/realms/acme/workflows", ""), 404, `{"error":"HTTP 404 Not Found"}`)
	wantBody(t, "create", adminDo(t, s, tok, "POST", "/admin/realms/acme/workflows", `{"name":"x"}`), 404, `{"error":"HTTP 404 Not Found"}`)
}

// TestWorkflows pins WorkflowsResource and WorkflowResource with the
// feature on: 201 + Location on create, ids on the workflow and its steps
// (left out with includeId=false), list with search/exact and max 10 by
// default, 404 "Workflow with id X not found", activate and deactivate of
// a user (400 "Resource with id X not found" for an unknown one, 404 for
// an unknown resource type), scheduled steps per resource, migrate, delete.
func TestWorkflows(t *testing.T) {
	t.Parallel()
	clock := kctest.NewFakeClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	s := kctest.Start(t, kctest.WithFeatures("workflows"), kctest.WithClock(clock.Now))
	if _, err := s.AddRealm(kctest.Realm{Name: "acme"}); err != nil {
		t.Fatal(err)
	}
	tok := adminToken(t, s)
	const base = "/admin/realms/acme/workflows"
	id := createdID(t, adminDo(t, s, tok, "POST", base, `{"name":"offboard","on":"user_created","steps":[{"uses":"notify-user","after":"5d"},{"uses":"disable-user","after":"30d"}]}`))
	other := createdID(t, adminDo(t, s, tok, "POST", base, `{"name":"other","steps":[{"uses":"delete-user"}]}`))
	type step struct {
		ID          string `json:"id"`
		Uses        string `json:"uses"`
		Status      string `json:"status"`
		ScheduledAt int64  `json:"scheduled-at"`
	}
	type rep struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		On    string `json:"on"`
		Steps []step `json:"steps"`
	}
	var got rep
	_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", base+"/"+id, ""), 200).body, &got)
	if got.ID != id || got.Name != "offboard" || got.On != "user_created" || len(got.Steps) != 2 || got.Steps[0].ID == "" || got.Steps[1].Uses != "disable-user" {
		t.Fatalf("get: %+v", got)
	}
	var noIDs rep
	_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", base+"/"+id+"?includeId=false", ""), 200).body, &noIDs)
	if noIDs.ID != "" || noIDs.Steps[0].ID != "" {
		t.Errorf("includeId=false: %+v", noIDs)
	}
	var list []rep
	_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", base+"?search=OFF", ""), 200).body, &list)
	if len(list) != 1 || list[0].ID != id {
		t.Errorf("search: %+v", list)
	}
	_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", base+"?search=off&exact=true", ""), 200).body, &list)
	if len(list) != 0 {
		t.Errorf("exact search: %+v", list)
	}
	wantBody(t, "unknown", adminDo(t, s, tok, "GET", base+"/nope", ""), 404, `{"error":"Workflow with id nope not found"}`)

	userID := createdID(t, adminDo(t, s, tok, "POST", "/admin/realms/acme/users", `{"username":"alice"}`))
	wantBody(t, "activate unknown user", adminDo(t, s, tok, "POST", base+"/"+id+"/activate/USERS/nope", ""), 400, `{"error":"Resource with id nope not found"}`)
	wantBody(t, "activate unknown type", adminDo(t, s, tok, "POST", base+"/"+id+"/activate/GROUPS/"+userID, ""), 404, `{"error":"HTTP 404 Not Found"}`)
	mustStatus(t, adminDo(t, s, tok, "POST", base+"/"+id+"/activate/USERS/"+userID, ""), 204)
	var sched []rep
	_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", base+"/scheduled/"+userID, ""), 200).body, &sched)
	wantAt := clock.Now().Add(5 * 24 * time.Hour).UnixMilli()
	if len(sched) != 1 || sched[0].Steps[0].Status != "PENDING" || sched[0].Steps[0].ScheduledAt != wantAt || sched[0].Steps[1].Status != "" {
		t.Fatalf("scheduled: %+v, want the first step pending at %d", sched, wantAt)
	}
	// migrate moves the user to the other workflow's step.
	var o rep
	_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", base+"/"+other, ""), 200).body, &o)
	mustStatus(t, adminDo(t, s, tok, "POST", base+"/migrate?from="+got.Steps[0].ID+"&to="+o.Steps[0].ID, ""), 204)
	_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", base+"/scheduled/"+userID, ""), 200).body, &sched)
	if len(sched) != 1 || sched[0].ID != other || sched[0].Steps[0].Status != "PENDING" {
		t.Errorf("scheduled after migrate: %+v", sched)
	}
	mustStatus(t, adminDo(t, s, tok, "POST", base+"/"+other+"/deactivate/USERS/"+userID, ""), 204)
	wantBody(t, "scheduled after deactivate", adminDo(t, s, tok, "GET", base+"/scheduled/"+userID, ""), 200, `[]`)

	mustStatus(t, adminDo(t, s, tok, "PUT", base+"/"+id, `{"name":"renamed","steps":[]}`), 204)
	_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", base+"/"+id, ""), 200).body, &got)
	if got.Name != "renamed" || len(got.Steps) != 2 {
		t.Errorf("after update (the steps stay): %+v", got)
	}
	mustStatus(t, adminDo(t, s, tok, "DELETE", base+"/"+id, ""), 204)
	mustStatus(t, adminDo(t, s, tok, "GET", base+"/"+id, ""), 404)
}
