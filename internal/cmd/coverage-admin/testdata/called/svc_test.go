package fixture

import (
	"net/http/httptest"
	"testing"
)

func TestOwnServer(t *testing.T) { _ = httptest.NewServer(nil) }

func FuzzOwnServer(f *testing.F) {}

func helperServer() {}
