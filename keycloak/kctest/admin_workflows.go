package kctest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Workflows (feature "workflows", experimental in Keycloak 26, so off by
// default): /admin/realms/{realm}/workflows, after Keycloak's
// WorkflowsResource and WorkflowResource. kctest stores each workflow's
// representation as it was sent (giving the workflow and its steps ids),
// and records activations as a pending first step per resource; it never
// runs a step.

// workflow is one workflow of a realm.
type workflow struct {
	id   string
	rep  map[string]json.RawMessage // without id and steps
	step []map[string]json.RawMessage
	// scheduled holds the pending step (its id) per resource id, and when
	// it is due (epoch millis).
	scheduled map[string]wfSchedule
}

type wfSchedule struct {
	step string
	at   int64
}

func (w *workflow) name() string {
	var n string
	_ = json.Unmarshal(w.rep["name"], &n)
	return n
}

// stepID returns the id of step i.
func (w *workflow) stepID(i int) string {
	var id string
	_ = json.Unmarshal(w.step[i]["id"], &id)
	return id
}

// representation returns the WorkflowRepresentation, with ids unless
// includeID is false; sched, when set, marks the resource's pending step
// with its status and scheduled-at.
func (w *workflow) representation(includeID bool, sched *wfSchedule) map[string]any {
	out := map[string]any{}
	for k, v := range w.rep {
		out[k] = v
	}
	if includeID {
		out["id"] = w.id
	}
	steps := []map[string]any{}
	for i, st := range w.step {
		m := map[string]any{}
		for k, v := range st {
			if k == "id" && !includeID {
				continue
			}
			m[k] = v
		}
		if sched != nil && sched.step == w.stepID(i) {
			m["status"] = "PENDING"
			m["scheduled-at"] = sched.at
		}
		steps = append(steps, m)
	}
	out["steps"] = steps
	return out
}

// afterMillis parses a step's "after" ("30d", "12h", "5m", "10s", "500ms"
// or seconds alone) into milliseconds.
func afterMillis(raw json.RawMessage) int64 {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		var n int64
		if json.Unmarshal(raw, &n) == nil {
			return n * 1000
		}
		return 0
	}
	s = strings.TrimSpace(s)
	for _, u := range []struct {
		suffix string
		ms     int64
	}{{"ms", 1}, {"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				return n * u.ms
			}
			return 0
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n * 1000
	}
	return 0
}

// workflowInput reads a WorkflowRepresentation: the members other than
// id, state and steps, and the steps.
func workflowInput(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, []map[string]json.RawMessage, bool) {
	var in map[string]json.RawMessage
	if !decodeAdminJSON(w, r, &in) || in == nil {
		if in == nil {
			writeGenericError(w, http.StatusBadRequest, "unknown_error")
		}
		return nil, nil, false
	}
	var steps []map[string]json.RawMessage
	if raw, ok := in["steps"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &steps); err != nil {
			writeGenericError(w, http.StatusBadRequest, "unknown_error")
			return nil, nil, false
		}
	}
	delete(in, "id")
	delete(in, "steps")
	delete(in, "state")
	return in, steps, true
}

func (s *Server) registerAdminWorkflows(mux *http.ServeMux) {
	const base = "/admin/realms/{realm}/workflows"
	// gate: WorkflowsResource's constructor throws NotFoundException when
	// the feature is off; every method then requires manage-realm.
	gate := func(h adminHandler) http.HandlerFunc {
		return s.admin(permAny, func(w http.ResponseWriter, r *http.Request, rm *realm, c *adminCaller) {
			if !s.featureOn(FeatureWorkflows, 0) {
				writeGenericError(w, http.StatusNotFound, "HTTP 404 Not Found")
				return
			}
			if !s.callerCan(c, rm, permManageRealm) {
				writeGenericError(w, http.StatusForbidden, "HTTP 403 Forbidden")
				return
			}
			h(w, r, rm, c)
		})
	}
	one := func(h func(w http.ResponseWriter, r *http.Request, rm *realm, wf *workflow)) http.HandlerFunc {
		return gate(func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
			id := r.PathValue("id")
			i := slices.IndexFunc(rm.workflows, func(x *workflow) bool { return x.id == id })
			if i < 0 {
				writeGenericError(w, http.StatusNotFound, "Workflow with id "+id+" not found")
				return
			}
			h(w, r, rm, rm.workflows[i])
		})
	}
	// Keycloak: WorkflowsResource.list (search, exact, first=0, max=10)
	s.handle(mux, "GET", base, gate(func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		q := r.URL.Query()
		search, exact := q.Get("search"), boolParam(r, "exact", false)
		var list []*workflow
		for _, wf := range rm.workflows {
			n := wf.name()
			if search == "" || (exact && n == search) || (!exact && strings.Contains(strings.ToLower(n), strings.ToLower(search))) {
				list = append(list, wf)
			}
		}
		first, end := page(r, len(list), 10)
		out := []map[string]any{}
		for _, wf := range list[first:end] {
			out = append(out, wf.representation(true, nil))
		}
		writeJSON(w, http.StatusOK, out)
	}))
	// Keycloak: WorkflowsResource.create (201 with Location)
	s.handle(mux, "POST", base, gate(func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		rep, steps, ok := workflowInput(w, r)
		if !ok {
			return
		}
		wf := &workflow{id: newID(), rep: rep, step: steps, scheduled: map[string]wfSchedule{}}
		for _, st := range wf.step {
			id, _ := json.Marshal(newID())
			st["id"] = id
			delete(st, "status")
			delete(st, "scheduled-at")
		}
		rm.workflows = append(rm.workflows, wf)
		created(w, r, s, wf.id)
	}))
	// Keycloak: WorkflowsResource.getScheduledSteps
	s.handle(mux, "GET", base+"/scheduled/{resource}", gate(func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		out := []map[string]any{}
		for _, wf := range rm.workflows {
			if sc, ok := wf.scheduled[r.PathValue("resource")]; ok {
				out = append(out, wf.representation(true, &sc))
			}
		}
		writeJSON(w, http.StatusOK, out)
	}))
	// Keycloak: WorkflowsResource.migrate: move the resources scheduled at
	// step "from" to step "to".
	s.handle(mux, "POST", base+"/migrate", gate(func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
		var toWF *workflow
		for _, wf := range rm.workflows {
			for i := range wf.step {
				if wf.stepID(i) == to {
					toWF = wf
				}
			}
		}
		if from == "" || toWF == nil {
			writeErrorMessage(w, http.StatusBadRequest, "Step with id "+to+" not found")
			return
		}
		for _, wf := range rm.workflows {
			for res, sc := range wf.scheduled {
				if sc.step == from {
					delete(wf.scheduled, res)
					toWF.scheduled[res] = wfSchedule{step: to, at: sc.at}
				}
			}
		}
		noContent(w)
	}))
	// Keycloak: WorkflowResource.toRepresentation (includeId, default true)
	s.handle(mux, "GET", base+"/{id}", one(func(w http.ResponseWriter, r *http.Request, _ *realm, wf *workflow) {
		writeJSON(w, http.StatusOK, wf.representation(boolParam(r, "includeId", true), nil))
	}))
	// Keycloak: WorkflowResource.update: the configuration, not the steps.
	s.handle(mux, "PUT", base+"/{id}", one(func(w http.ResponseWriter, r *http.Request, _ *realm, wf *workflow) {
		rep, _, ok := workflowInput(w, r)
		if !ok {
			return
		}
		wf.rep = rep
		noContent(w)
	}))
	// Keycloak: WorkflowResource.delete
	s.handle(mux, "DELETE", base+"/{id}", one(func(w http.ResponseWriter, _ *http.Request, rm *realm, wf *workflow) {
		rm.workflows = slices.DeleteFunc(rm.workflows, func(x *workflow) bool { return x == wf })
		noContent(w)
	}))
	// Keycloak: WorkflowResource.activate / deactivate. {type} is the
	// ResourceType enum (USERS, CLIENTS; a path parameter JAX-RS cannot
	// convert is 404); both resolve the resource as a user, as Keycloak
	// 26's ResourceType does; an unknown one is 400.
	act := func(activate bool) func(w http.ResponseWriter, r *http.Request, rm *realm, wf *workflow) {
		return func(w http.ResponseWriter, r *http.Request, rm *realm, wf *workflow) {
			if t := r.PathValue("type"); t != "USERS" && t != "CLIENTS" {
				writeGenericError(w, http.StatusNotFound, "HTTP 404 Not Found")
				return
			}
			id := r.PathValue("resource")
			if rm.users[id] == nil {
				writeGenericError(w, http.StatusBadRequest, "Resource with id "+id+" not found")
				return
			}
			if !activate {
				delete(wf.scheduled, id)
				noContent(w)
				return
			}
			if len(wf.step) == 0 {
				noContent(w)
				return
			}
			b, _ := readAllLimited(r.Body)
			due := s.clock.Now().Add(time.Duration(afterMillis(wf.step[0]["after"])) * time.Millisecond)
			if nb := strings.Trim(strings.TrimSpace(string(b)), `"`); nb != "" {
				if t, err := time.Parse(time.RFC3339, nb); err == nil {
					due = t
				} else if v, ok := strings.CutSuffix(nb, "ms"); ok {
					if n, err := strconv.ParseInt(v, 10, 64); err == nil {
						due = s.clock.Now().Add(time.Duration(n) * time.Millisecond)
					}
				} else if n, err := strconv.ParseInt(nb, 10, 64); err == nil {
					due = s.clock.Now().Add(time.Duration(n) * time.Second)
				}
			}
			wf.scheduled[id] = wfSchedule{step: wf.stepID(0), at: due.UnixMilli()}
			noContent(w)
		}
	}
	s.handle(mux, "POST", base+"/{id}/activate/{type}/{resource}", one(act(true)))
	s.handle(mux, "POST", base+"/{id}/deactivate/{type}/{resource}", one(act(false)))
}
