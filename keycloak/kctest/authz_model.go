package kctest

import "encoding/json"

// resourceServer holds a client's authorization-services settings. It is a
// placeholder that the authorization-services area (authz_*.go) fills in;
// today it keeps the imported authorizationSettings block verbatim.
type resourceServer struct {
	// raw is the authorizationSettings JSON of a realm import, or nil.
	raw json.RawMessage
}
