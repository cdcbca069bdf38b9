package kctest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Feature names kctest knows, as Keycloak spells them (Profile.Feature:
// the enum name in lower case with "-", the version cut off and given as
// ":vN"). Keycloak 26's defaults apply when no option names a feature.
const (
	// FeatureAdminFineGrainedAuthz is fine-grained admin permissions.
	// Version 2 is on by default and has no endpoints of its own in
	// kctest; version 1 ("admin-fine-grained-authz:v1", a preview) serves
	// the management/permissions endpoints, which answer 501 otherwise.
	FeatureAdminFineGrainedAuthz = "admin-fine-grained-authz"
	// FeatureOrganization is organizations (on by default). Off, every
	// organizations endpoint answers 404 "Organizations not enabled for
	// this realm.".
	FeatureOrganization = "organization"
	// FeatureTokenExchangeStandard is standard token exchange, version 2
	// (on by default). Off, the token-exchange grant is unsupported.
	FeatureTokenExchangeStandard = "token-exchange-standard"
	// FeatureWorkflows is workflows (experimental, off by default). Off,
	// /admin/realms/{realm}/workflows answers 404.
	FeatureWorkflows = "workflows"
)

// featureDef is one version of a feature, as Keycloak's Profile.Feature
// declares it.
type featureDef struct {
	key     string // unversioned key
	version int
	typ     string // Profile.Feature.Type: DEFAULT, PREVIEW, EXPERIMENTAL, ...
	enum    string // the enum constant's name, as serverinfo reports it
	label   string
}

// versioned returns the key in the form key:vN.
func (f featureDef) versioned() string { return f.key + ":v" + strconv.Itoa(f.version) }

// featureDefs are the features kctest has behaviour for, with Keycloak
// 26's types (common/.../Profile.java).
var featureDefs = []featureDef{
	{FeatureAdminFineGrainedAuthz, 1, "PREVIEW", "ADMIN_FINE_GRAINED_AUTHZ", "Fine-Grained Admin Permissions"},
	{FeatureAdminFineGrainedAuthz, 2, "DEFAULT", "ADMIN_FINE_GRAINED_AUTHZ_V2", "Fine-Grained Admin Permissions version 2"},
	{FeatureOrganization, 1, "DEFAULT", "ORGANIZATION", "Organization support within realms"},
	{FeatureTokenExchangeStandard, 2, "DEFAULT", "TOKEN_EXCHANGE_STANDARD_V2", "Standard Token Exchange version 2"},
	{FeatureWorkflows, 1, "EXPERIMENTAL", "WORKFLOWS", "Workflows"},
}

// typePriority orders the versions of one feature as Keycloak's
// Profile.getOrderedFeatures does: type first, then the higher version.
var typePriority = map[string]int{"DEFAULT": 0, "DISABLED_BY_DEFAULT": 1, "DEPRECATED": 2, "PREVIEW": 3, "EXPERIMENTAL": 4}

// Features returns the names of the features kctest knows, each as
// key:vN; [WithFeatures] and [WithFeaturesDisabled] take these names or
// the key alone.
func Features() []string {
	out := make([]string, 0, len(featureDefs))
	for _, f := range featureDefs {
		out = append(out, f.versioned())
	}
	return out
}

// WithFeatures enables features, as Keycloak's --features does: a name
// alone ("organization", "admin-fine-grained-authz") picks the version
// Keycloak would pick, a versioned name ("admin-fine-grained-authz:v1")
// picks that version, and "preview" turns on by default the preview
// features a name leaves unconfigured (Keycloak's preview profile).
// [Features] lists the names kctest knows; [New] fails on any other.
func WithFeatures(names ...string) Option {
	return func(o *config) { o.featuresOn = append(o.featuresOn, names...) }
}

// WithFeaturesDisabled disables features, as Keycloak's
// --features-disabled does; it takes unversioned names only.
func WithFeaturesDisabled(names ...string) Option {
	return func(o *config) { o.featuresOff = append(o.featuresOff, names...) }
}

// featureSet is the enabled version of each feature key (0: disabled).
type featureSet map[string]int

// resolveFeatures applies on and off to Keycloak 26's defaults, with the
// checks of Profile.configure.
func resolveFeatures(on, off []string) (featureSet, error) {
	type setting struct {
		unversioned string // "enabled", "disabled" or ""
		version     int    // an explicitly enabled version
	}
	cfg := map[string]*setting{}
	get := func(k string) *setting {
		if cfg[k] == nil {
			cfg[k] = &setting{}
		}
		return cfg[k]
	}
	known := func(key string, version int) bool {
		return slices.ContainsFunc(featureDefs, func(f featureDef) bool {
			return f.key == key && (version == 0 || f.version == version)
		})
	}
	preview := false // Keycloak's "preview" profile: preview features on by default
	for _, raw := range on {
		for name := range strings.SplitSeq(raw, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			if name == "preview" {
				preview = true
				continue
			}
			key, ver, versioned := strings.Cut(name, ":")
			v := 0
			if versioned {
				n, err := strconv.Atoi(strings.TrimPrefix(ver, "v"))
				if err != nil || !strings.HasPrefix(ver, "v") {
					return nil, fmt.Errorf("kctest: feature %q: a version is written :vN", name)
				}
				v = n
			}
			if !known(key, v) {
				return nil, fmt.Errorf("kctest: feature %q is not one kctest implements (%s)", name, strings.Join(Features(), ", "))
			}
			st := get(key)
			if v == 0 {
				st.unversioned = "enabled"
			} else {
				if st.version != 0 && st.version != v {
					return nil, fmt.Errorf("kctest: multiple versions of the same feature %s:v%d, %s should not be enabled", key, st.version, name)
				}
				st.version = v
			}
		}
	}
	for _, raw := range off {
		for name := range strings.SplitSeq(raw, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			if strings.Contains(name, ":") {
				return nil, fmt.Errorf("kctest: feature %s should not be disabled using a versioned key", name)
			}
			if !known(name, 0) {
				return nil, fmt.Errorf("kctest: feature %q is not one kctest implements (%s)", name, strings.Join(Features(), ", "))
			}
			get(name).unversioned = "disabled"
		}
	}
	out := featureSet{}
	for _, f := range featureDefs {
		if _, ok := out[f.key]; ok {
			continue
		}
		versions := slices.DeleteFunc(slices.Clone(featureDefs), func(g featureDef) bool { return g.key != f.key })
		slices.SortStableFunc(versions, func(a, b featureDef) int {
			if d := typePriority[a.typ] - typePriority[b.typ]; d != 0 {
				return d
			}
			return b.version - a.version
		})
		st := get(f.key)
		switch {
		case st.unversioned != "" && st.version != 0:
			return nil, fmt.Errorf("kctest: versioned feature %s:v%d is not expected as %s is already %s", f.key, st.version, f.key, st.unversioned)
		case st.version != 0:
			out[f.key] = st.version
		case st.unversioned == "enabled":
			out[f.key] = versions[0].version
		case st.unversioned == "disabled":
			out[f.key] = 0
		default:
			out[f.key] = 0
			for _, g := range versions {
				if g.typ == "DEFAULT" || (preview && g.typ == "PREVIEW") {
					out[f.key] = g.version
					break
				}
			}
		}
	}
	return out, nil
}

// enabled reports whether version v of feature key is on (v 0: any
// version).
func (fs featureSet) enabled(key string, v int) bool {
	on := fs[key]
	return on != 0 && (v == 0 || on == v)
}

// featureOn reports whether version v of feature key is on (v 0: any).
// The set never changes after New, so no lock is needed.
func (s *Server) featureOn(key string, v int) bool { return s.features.enabled(key, v) }

// FeatureEnabled reports whether the server has the feature name on:
// "organization" for any version, "admin-fine-grained-authz:v1" for that
// version.
func (s *Server) FeatureEnabled(name string) bool {
	key, ver, ok := strings.Cut(name, ":")
	v := 0
	if ok {
		v, _ = strconv.Atoi(strings.TrimPrefix(ver, "v"))
	}
	return s.featureOn(key, v)
}

// serverInfoFeatures returns serverinfo's features (FeatureRepresentation)
// and profileInfo's lists, for the features kctest knows.
func (s *Server) serverInfoFeatures() (features []map[string]any, disabled, preview, experimental []string) {
	features = []map[string]any{}
	disabled, preview, experimental = []string{}, []string{}, []string{}
	for _, f := range featureDefs {
		on := s.featureOn(f.key, f.version)
		features = append(features, map[string]any{"name": f.enum, "label": f.label, "type": f.typ,
			"enabled": on, "dependencies": []string{}})
		if !on {
			disabled = append(disabled, f.enum)
		}
		switch f.typ {
		case "PREVIEW":
			preview = append(preview, f.enum)
		case "EXPERIMENTAL":
			experimental = append(experimental, f.enum)
		}
	}
	return features, disabled, preview, experimental
}

// featureGate answers the requests of a disabled feature whose resources
// are served by other files as Keycloak does then: organizations answer,
// after the admin token check, 404 "Organizations not enabled for this
// realm." (Organizations.checkEnabled finds no OrganizationProvider).
func (s *Server) featureGate(next http.Handler) http.Handler {
	orgsOff := s.admin(permAny, func(w http.ResponseWriter, _ *http.Request, _ *realm, _ *adminCaller) {
		writeErrorMessage(w, http.StatusNotFound, "Organizations not enabled for this realm.")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.featureOn(FeatureOrganization, 0) && r.Method != http.MethodOptions {
			rest, ok := strings.CutPrefix(strings.TrimPrefix(r.URL.Path, s.basePath), "/admin/realms/")
			if ok {
				name, tail, _ := strings.Cut(rest, "/")
				if tail == "organizations" || strings.HasPrefix(tail, "organizations/") {
					r.SetPathValue("realm", name)
					orgsOff(w, r)
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
