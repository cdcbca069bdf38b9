// Package admin is a client of Keycloak's Admin REST API. It covers:
//
//   - realms: create, update, delete, partial import and partial export,
//     cache clearing, push revocation, SMTP test, credential registrators
//     ([Client.Realms]); server info and the console's whoami
//     ([Client.ServerInfo], [Client.WhoAmI]);
//   - users: credentials, required actions, groups, role mappings,
//     sessions, consents, federated identities, impersonation, the user
//     profile ([RealmClient.Users]);
//   - groups and their subgroups, members and role mappings
//     ([RealmClient.Groups]);
//   - realm and client roles, by name and by ID, with composites
//     ([RealmClient.Roles], [RealmClient.RolesByID], [ClientsService.Roles]);
//   - clients: secrets, service accounts, default and optional client
//     scopes, protocol mappers, scope mappings, sessions, cluster nodes,
//     registration access token, push revocation, evaluation of the tokens
//     a client would get ([RealmClient.Clients]);
//   - client scopes, their mappers and scope mappings
//     ([RealmClient.ClientScopes]);
//   - authorization services of a client: resource server settings,
//     resources, scopes, policies and permissions, import and export
//     ([ClientsService.ResourceServer]);
//   - authentication: flows, executions, authenticator configurations,
//     required actions ([RealmClient.Authentication]);
//   - identity providers and their mappers ([RealmClient.IdentityProviders]);
//   - organizations: members, domains, linked identity providers
//     ([RealmClient.Organizations]);
//   - login and admin events and the events configuration
//     ([RealmClient.Events]);
//   - attack detection: brute-force lockouts ([RealmClient.AttackDetection]);
//   - sessions of the realm ([RealmClient.Sessions]);
//   - keys: the realm's active keys and their metadata ([RealmClient.Keys]);
//   - components: key providers, the user profile, client-registration
//     policies, user storage ([RealmClient.Components]);
//   - localization: the realm's texts per locale ([RealmClient.Localization]);
//   - client policies, client profiles and client types
//     ([RealmClient.ClientPolicies]);
//   - client registration: initial access tokens and registration policy
//     providers ([RealmClient.ClientRegistration]);
//   - fine-grained admin permissions (v1, management/permissions) of
//     users, clients, roles, groups and identity providers
//     ([RealmClient.ManagementPermissions]);
//   - workflows, with the "workflows" feature ([RealmClient.Workflows]);
//   - user storage: synchronization, unlinking and removing imported
//     users, LDAP connection and capability checks
//     ([RealmClient.UserStorage]).
//
// Navigation follows the API's paths:
//
//	c, err := admin.New("https://sso.example.com", ts)
//	users := c.Realm("acme").Users
//	id, err := users.Create(ctx, &admin.User{Username: "alice", Enabled: kc.Ptr(true)})
//	roles := c.Realm("acme").Clients.Roles(clientUUID)
//
// Every method's documentation names the endpoint it calls, on a line such
// as "Keycloak: GET /admin/realms/{realm}/users"; `make coverage-admin`
// counts them against Keycloak's Admin OpenAPI description.
//
// Every list method that takes first and max has an iterator sibling
// (Users.List and Users.All) that pages through the whole result holding
// one page at a time. Keycloak returns at most 100 items per request when
// no max is given (a group's children: 10).
//
// Representations are decoded in one pass over the response, from a plan
// of each type's fields made once; members a type does not declare are
// kept in its Extra and sent back on update. The strings of a response
// (and what its *string, *bool and *int64 fields point to) share a few
// allocations per response of at most 4 KiB each, instead of one
// allocation each: a string kept from a decoded list keeps at most 4 KiB
// of that response alive. Forms Keycloak does not send (escaped keys,
// members given twice) are decoded by encoding/json, with its results and
// errors.
//
// Calls are authenticated with a kc.TokenSource, typically the managed
// source of package oidc: the admin-cli password login of the master realm
// or a service account's client credentials. A 401 answer makes a source
// that is a kc.TokenInvalidator drop its token, and the request is sent
// once more with a fresh one.
package admin
