package admin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/kcgo/kc/internal/rest"
)

// LocalizationService manages a realm's localization texts: the realm's
// own overrides of the themes' messages, per locale and key.
type LocalizationService struct{ base }

// Locales returns the locales that have texts, sorted.
//
// Keycloak: GET /admin/realms/{realm}/localization
func (s *LocalizationService) Locales(ctx context.Context) ([]string, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	var out []string
	_, err := s.c.do(ctx, "GET", s.path("localization"), nil, nil, &out)
	return out, err
}

// Texts returns the texts of locale. With fallback, the texts of the
// realm's default locale are returned too, under those of locale
// (useRealmDefaultLocaleFallback).
//
// Keycloak: GET /admin/realms/{realm}/localization/{locale}
func (s *LocalizationService) Texts(ctx context.Context, locale string, fallback bool) (map[string]string, error) {
	if err := need("realm", s.realm, "locale", locale); err != nil {
		return nil, err
	}
	var q url.Values
	if fallback {
		q = url.Values{"useRealmDefaultLocaleFallback": {strconv.FormatBool(true)}}
	}
	out := map[string]string{}
	_, err := s.c.do(ctx, "GET", s.path("localization", locale), q, nil, &out)
	return out, err
}

// SetTexts adds texts to locale, replacing the texts of the same keys.
//
// Keycloak: POST /admin/realms/{realm}/localization/{locale}
func (s *LocalizationService) SetTexts(ctx context.Context, locale string, texts map[string]string) error {
	if err := need("realm", s.realm, "locale", locale); err != nil {
		return err
	}
	if texts == nil {
		texts = map[string]string{}
	}
	_, err := s.c.do(ctx, "POST", s.path("localization", locale), nil, texts, nil)
	return err
}

// DeleteLocale deletes every text of locale. A locale with no texts is
// ErrNotFound.
//
// Keycloak: DELETE /admin/realms/{realm}/localization/{locale}
func (s *LocalizationService) DeleteLocale(ctx context.Context, locale string) error {
	if err := need("realm", s.realm, "locale", locale); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("localization", locale), nil, nil, nil)
	return err
}

// Text returns the text of key in locale (ErrNotFound when there is none).
//
// Keycloak: GET /admin/realms/{realm}/localization/{locale}/{key}
func (s *LocalizationService) Text(ctx context.Context, locale, key string) (string, error) {
	if err := need("realm", s.realm, "locale", locale, "key", key); err != nil {
		return "", err
	}
	var b []byte
	_, err := s.c.send(ctx, &rest.Request{Method: "GET", Path: s.path("localization", locale, key),
		Header: http.Header{"Accept": {"text/plain"}}}, &b)
	return string(b), err
}

// SetText sets the text of key in locale.
//
// Keycloak: PUT /admin/realms/{realm}/localization/{locale}/{key}
func (s *LocalizationService) SetText(ctx context.Context, locale, key, text string) error {
	if err := need("realm", s.realm, "locale", locale, "key", key); err != nil {
		return err
	}
	_, err := s.c.send(ctx, &rest.Request{Method: "PUT", Path: s.path("localization", locale, key),
		Body: []byte(text), ContentType: "text/plain; charset=utf-8"}, nil)
	return err
}

// DeleteText deletes the text of key in locale (ErrNotFound when there is
// none).
//
// Keycloak: DELETE /admin/realms/{realm}/localization/{locale}/{key}
func (s *LocalizationService) DeleteText(ctx context.Context, locale, key string) error {
	if err := need("realm", s.realm, "locale", locale, "key", key); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("localization", locale, key), nil, nil, nil)
	return err
}
