package kctest

import (
	"encoding/json"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
)

// registerAdminLocalization serves /admin/realms/{realm}/localization, the
// realm's overrides of theme messages, as Keycloak's
// RealmLocalizationResource does.
func (s *Server) registerAdminLocalization(mux *http.ServeMux) {
	const l = "/admin/realms/{realm}/localization"
	s.handle(mux, "GET", l, s.admin(permAnyAdminRole, func(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
		locales := slices.Sorted(maps.Keys(rm.localizationTexts()))
		writeJSON(w, http.StatusOK, append([]string{}, locales...))
	}))
	s.handle(mux, "GET", l+"/{locale}", s.admin(permAnyAdminRole, s.adminLocalizationTexts))
	s.handle(mux, "POST", l+"/{locale}", s.admin(permManageRealm, s.adminPostLocalizationTexts))
	s.handle(mux, "DELETE", l+"/{locale}", s.admin(permManageRealm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		locale := r.PathValue("locale")
		texts := rm.localizationTexts()
		if _, ok := texts[locale]; !ok {
			writeGenericError(w, http.StatusNotFound, "No localization texts for locale "+locale+" found.")
			return
		}
		delete(texts, locale)
		noContent(w)
	}))
	s.handle(mux, "GET", l+"/{locale}/{key}", s.admin(permAnyAdminRole, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		text, ok := rm.localizationTexts()[r.PathValue("locale")][r.PathValue("key")]
		if !ok {
			writeGenericError(w, http.StatusNotFound, "Localization text not found")
			return
		}
		w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
		_, _ = io.WriteString(w, text)
	}))
	s.handle(mux, "PUT", l+"/{locale}/{key}", s.admin(permManageRealm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		b, err := readAllLimited(r.Body)
		if err != nil {
			writeGenericError(w, http.StatusBadRequest, "unknown_error")
			return
		}
		rm.setLocalizationText(r.PathValue("locale"), r.PathValue("key"), string(b))
		noContent(w)
	}))
	s.handle(mux, "DELETE", l+"/{locale}/{key}", s.admin(permManageRealm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		texts := rm.localizationTexts()[r.PathValue("locale")]
		key := r.PathValue("key")
		if _, ok := texts[key]; !ok {
			writeGenericError(w, http.StatusNotFound, "Localization text not found")
			return
		}
		delete(texts, key)
		noContent(w)
	}))
}

// localizationTexts returns the realm's texts, taking over those of an
// imported realm file (localizationTexts) on first use.
func (rm *realm) localizationTexts() map[string]map[string]string {
	if rm.localization == nil {
		rm.localization = map[string]map[string]string{}
		if raw, ok := rm.importOnly["localizationTexts"]; ok {
			_ = json.Unmarshal(raw, &rm.localization)
			delete(rm.importOnly, "localizationTexts")
		}
	}
	return rm.localization
}

func (rm *realm) setLocalizationText(locale, key, text string) {
	texts := rm.localizationTexts()
	if texts[locale] == nil {
		texts[locale] = map[string]string{}
	}
	texts[locale][key] = text
}

// adminLocalizationTexts is GET .../localization/{locale}: the locale's
// texts, over the default locale's when useRealmDefaultLocaleFallback is
// true (RealmLocalizationResource.getRealmLocalizationTexts).
func (s *Server) adminLocalizationTexts(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	texts := rm.localizationTexts()
	out := map[string]string{}
	if boolParam(r, "useRealmDefaultLocaleFallback", false) {
		var def string
		_ = json.Unmarshal(rm.settings["defaultLocale"], &def)
		if def != "" {
			maps.Copy(out, texts[def])
		}
	}
	maps.Copy(out, texts[r.PathValue("locale")])
	writeJSON(w, http.StatusOK, out)
}

// adminPostLocalizationTexts is POST .../localization/{locale}: a JSON map
// of texts, or a multipart upload of such a map in part "file", added to
// the locale's texts.
func (s *Server) adminPostLocalizationTexts(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	var in map[string]string
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if strings.HasPrefix(mt, "multipart/") {
		b, ok := multipartFile(r, params["boundary"], "file")
		if !ok {
			writeGenericError(w, http.StatusBadRequest, "HTTP 400 Bad Request")
			return
		}
		if json.Unmarshal(b, &in) != nil {
			writeGenericError(w, http.StatusBadRequest, "Could not read file.")
			return
		}
	} else if !decodeAdminJSON(w, r, &in) {
		return
	}
	for k, v := range in {
		rm.setLocalizationText(r.PathValue("locale"), k, v)
	}
	noContent(w)
}

// multipartFile returns the content of the first part named field of a
// multipart/form-data body.
func multipartFile(r *http.Request, boundary, field string) ([]byte, bool) {
	if boundary == "" {
		return nil, false
	}
	mr := multipart.NewReader(http.MaxBytesReader(nil, r.Body, maxBodyBytes), boundary)
	for {
		p, err := mr.NextPart()
		if err != nil {
			return nil, false
		}
		if p.FormName() == field {
			b, err := io.ReadAll(p)
			return b, err == nil
		}
	}
}
