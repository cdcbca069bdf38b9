// Drives the official Keycloak admin client (@keycloak/keycloak-admin-client,
// pinned in package-lock.json) against kcdev, the way its users drive a
// Keycloak 26: every `it` is one step, and the steps of a `describe` run in
// order, each building on the previous ones.
//
// Run with `make compat-js`, which builds kcdev from the checkout and sets
// KCDEV_BIN; or by hand: `KCDEV_BIN=/path/to/kcdev npm test`.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import KcAdminClient from "@keycloak/keycloak-admin-client";

const REALM = "node-compat";
const kc = new KcAdminClient();
let server;
let baseUrl;

// startKcdev runs KCDEV_BIN on a free port and resolves to its base URL.
async function startKcdev() {
  const bin = process.env.KCDEV_BIN;
  if (!bin) {
    throw new Error("KCDEV_BIN must name a kcdev binary (make compat-js builds one)");
  }
  server = spawn(bin, ["-addr", "127.0.0.1:0"], {
    env: { ...process.env, KC_BOOTSTRAP_ADMIN_USERNAME: "admin", KC_BOOTSTRAP_ADMIN_PASSWORD: "admin" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  for await (const chunk of server.stdout) {
    out += chunk;
    const m = out.match(/kcdev listening on (\S+)/);
    if (m) {
      server.stdout.resume();
      return m[1];
    }
  }
  throw new Error(`kcdev exited before it was ready:\n${out}`);
}

// status runs fn and returns the HTTP status of the error it throws
// (0 when it does not throw).
async function status(fn) {
  try {
    await fn();
    return 0;
  } catch (e) {
    return e.response?.status ?? -1;
  }
}

before(async () => {
  baseUrl = await startKcdev();
  kc.setConfig({ baseUrl, realmName: "master" });
  await kc.auth({ username: "admin", password: "admin", grantType: "password", clientId: "admin-cli" });
  kc.setConfig({ realmName: REALM });
});

after(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await once(server, "exit");
  }
});

const ids = {};

describe("realms", () => {
  it("creates a realm with POST /admin/realms/", async () => {
    const r = await kc.realms.create({ realm: REALM, enabled: true, displayName: "Node compat" });
    assert.equal(r.realmName, REALM);
  });
  it("refuses a second realm with the same name (409)", async () => {
    assert.equal(await status(() => kc.realms.create({ realm: REALM, enabled: true })), 409);
  });
  it("lists the realms, master and the new one", async () => {
    const names = (await kc.realms.find()).map((r) => r.realm);
    assert.ok(names.includes("master") && names.includes(REALM), names.join(","));
  });
  it("reads the realm", async () => {
    const r = await kc.realms.findOne({ realm: REALM });
    assert.equal(r.displayName, "Node compat");
    assert.equal(r.enabled, true);
  });
  it("reads the defaults of a new realm", async () => {
    const r = await kc.realms.findOne({ realm: REALM });
    assert.equal(r.accessTokenLifespan, 300);
    assert.equal(r.sslRequired, "external");
    assert.equal(r.defaultRole.name, `default-roles-${REALM}`);
  });
  it("answers null for an unknown realm", async () => {
    assert.equal(await kc.realms.findOne({ realm: "no-such-realm" }), null);
  });
  it("updates the realm", async () => {
    await kc.realms.update({ realm: REALM }, { displayName: "Node compat 2", registrationAllowed: true });
    const r = await kc.realms.findOne({ realm: REALM });
    assert.equal(r.displayName, "Node compat 2");
    assert.equal(r.registrationAllowed, true);
  });
  it("keeps what the update left out", async () => {
    const r = await kc.realms.findOne({ realm: REALM });
    assert.equal(r.enabled, true);
  });
  it("lists the realm's keys", async () => {
    const k = await kc.realms.getKeys({ realm: REALM });
    const algs = k.keys.map((x) => x.algorithm).sort();
    for (const a of ["AES", "HS512", "RS256", "RSA-OAEP"]) {
      assert.ok(algs.includes(a), `keys ${algs}`);
    }
    assert.ok(k.active.RS256);
  });
  it("reads the events config", async () => {
    const c = await kc.realms.getConfigEvents({ realm: REALM });
    assert.equal(c.eventsEnabled, false);
    assert.ok(Array.isArray(c.eventsListeners));
  });
  it("updates the events config", async () => {
    await kc.realms.updateConfigEvents({ realm: REALM }, { eventsEnabled: true, eventsListeners: ["jboss-logging"], adminEventsEnabled: true });
    const c = await kc.realms.getConfigEvents({ realm: REALM });
    assert.equal(c.eventsEnabled, true);
    assert.equal(c.adminEventsEnabled, true);
  });
  it("lists events", async () => {
    assert.ok(Array.isArray(await kc.realms.findEvents({ realm: REALM })));
  });
  it("lists admin events", async () => {
    assert.ok(Array.isArray(await kc.realms.findAdminEvents({ realm: REALM })));
  });
  it("clears events", async () => {
    await kc.realms.clearEvents({ realm: REALM });
  });
  it("clears admin events", async () => {
    await kc.realms.clearAdminEvents({ realm: REALM });
  });
  it("reads the client session stats", async () => {
    assert.ok(Array.isArray(await kc.realms.getClientSessionStats({ realm: REALM })));
  });
  it("logs every session out", async () => {
    await kc.realms.logoutAll({ realm: REALM });
  });
  it("imports a group and a role partially", async () => {
    const r = await kc.realms.partialImport({
      realm: REALM,
      rep: { ifResourceExists: "SKIP", groups: [{ name: "imported-group" }], roles: { realm: [{ name: "imported-role" }] } },
    });
    assert.equal(r.added, 2);
  });
  it("skips what already exists on a second import", async () => {
    const r = await kc.realms.partialImport({
      realm: REALM,
      rep: { ifResourceExists: "SKIP", groups: [{ name: "imported-group" }] },
    });
    assert.equal(r.skipped, 1);
  });
});

describe("roles", () => {
  it("creates a realm role", async () => {
    await kc.roles.create({ name: "reader", description: "reads" });
  });
  it("creates a second realm role", async () => {
    await kc.roles.create({ name: "writer" });
  });
  it("refuses a duplicate role (409)", async () => {
    assert.equal(await status(() => kc.roles.create({ name: "reader" })), 409);
  });
  it("finds a role by name", async () => {
    const r = await kc.roles.findOneByName({ name: "reader" });
    assert.equal(r.description, "reads");
    ids.reader = r.id;
  });
  it("answers null for an unknown role", async () => {
    assert.equal(await kc.roles.findOneByName({ name: "nope" }), null);
  });
  it("lists the realm roles", async () => {
    const names = (await kc.roles.find()).map((r) => r.name);
    for (const n of ["reader", "writer", "offline_access", "uma_authorization", `default-roles-${REALM}`]) {
      assert.ok(names.includes(n), names.join(","));
    }
  });
  it("searches the realm roles", async () => {
    const names = (await kc.roles.find({ search: "read" })).map((r) => r.name);
    assert.deepEqual(names, ["reader"]);
  });
  it("finds a role by id", async () => {
    const r = await kc.roles.findOneById({ id: ids.reader });
    assert.equal(r.name, "reader");
  });
  it("updates a role by name", async () => {
    await kc.roles.updateByName({ name: "reader" }, { name: "reader", description: "reads all" });
    assert.equal((await kc.roles.findOneByName({ name: "reader" })).description, "reads all");
  });
  it("updates a role by id", async () => {
    await kc.roles.updateById({ id: ids.reader }, { name: "reader", description: "reads more" });
    assert.equal((await kc.roles.findOneById({ id: ids.reader })).description, "reads more");
  });
  it("makes writer a composite of reader", async () => {
    const reader = await kc.roles.findOneByName({ name: "reader" });
    const writer = await kc.roles.findOneByName({ name: "writer" });
    ids.writer = writer.id;
    await kc.roles.createComposite({ roleId: writer.id }, [reader]);
  });
  it("lists the composites", async () => {
    const names = (await kc.roles.getCompositeRoles({ id: ids.writer })).map((r) => r.name);
    assert.deepEqual(names, ["reader"]);
  });
  it("lists the realm composites", async () => {
    const names = (await kc.roles.getCompositeRolesForRealm({ id: ids.writer })).map((r) => r.name);
    assert.deepEqual(names, ["reader"]);
  });
  it("reports the role as composite", async () => {
    assert.equal((await kc.roles.findOneById({ id: ids.writer })).composite, true);
  });
  it("removes the composite", async () => {
    const reader = await kc.roles.findOneByName({ name: "reader" });
    await kc.roles.delCompositeRoles({ id: ids.writer }, [reader]);
    assert.deepEqual(await kc.roles.getCompositeRoles({ id: ids.writer }), []);
  });
  it("creates and deletes a role by name", async () => {
    await kc.roles.create({ name: "short-lived" });
    await kc.roles.delByName({ name: "short-lived" });
    assert.equal(await kc.roles.findOneByName({ name: "short-lived" }), null);
  });
  it("creates and deletes a role by id", async () => {
    await kc.roles.create({ name: "short-lived-2" });
    const r = await kc.roles.findOneByName({ name: "short-lived-2" });
    await kc.roles.delById({ id: r.id });
    assert.equal(await kc.roles.findOneByName({ name: "short-lived-2" }), null);
  });
});

describe("users", () => {
  it("lets the user profile keep unmanaged attributes", async () => {
    // Keycloak 26 drops attributes the user profile does not declare
    // unless unmanagedAttributePolicy allows them.
    const p = await kc.users.getProfile();
    await kc.users.updateProfile({ ...p, realm: REALM, unmanagedAttributePolicy: "ENABLED" });
    assert.equal((await kc.users.getProfile()).unmanagedAttributePolicy, "ENABLED");
  });
  it("creates a user", async () => {
    const r = await kc.users.create({ username: "alice", email: "alice@example.com", firstName: "Alice", lastName: "Liddell", enabled: true });
    assert.ok(r.id);
    ids.alice = r.id;
  });
  it("creates a user with a password and attributes", async () => {
    const r = await kc.users.create({
      username: "bob",
      enabled: true,
      email: "bob@example.com",
      firstName: "Bob",
      lastName: "B",
      attributes: { dept: ["eng"] },
      credentials: [{ type: "password", value: "bob-pw", temporary: false }],
    });
    ids.bob = r.id;
  });
  it("refuses a duplicate username (409)", async () => {
    assert.equal(await status(() => kc.users.create({ username: "alice", enabled: true })), 409);
  });
  it("refuses a duplicate email (409)", async () => {
    assert.equal(await status(() => kc.users.create({ username: "alice2", email: "alice@example.com", enabled: true })), 409);
  });
  it("reads a user", async () => {
    const u = await kc.users.findOne({ id: ids.alice });
    assert.equal(u.username, "alice");
    assert.equal(u.email, "alice@example.com");
  });
  it("answers null for an unknown user", async () => {
    assert.equal(await kc.users.findOne({ id: "00000000-0000-0000-0000-000000000000" }), null);
  });
  it("lists users", async () => {
    const names = (await kc.users.find()).map((u) => u.username).sort();
    assert.deepEqual(names, ["alice", "bob"]);
  });
  it("searches users", async () => {
    const names = (await kc.users.find({ search: "ali" })).map((u) => u.username);
    assert.deepEqual(names, ["alice"]);
  });
  it("finds a user by exact username", async () => {
    const names = (await kc.users.find({ username: "bob", exact: true })).map((u) => u.username);
    assert.deepEqual(names, ["bob"]);
  });
  it("finds a user by email", async () => {
    const names = (await kc.users.find({ email: "bob@example.com" })).map((u) => u.username);
    assert.deepEqual(names, ["bob"]);
  });
  it("pages users", async () => {
    assert.equal((await kc.users.find({ first: 0, max: 1 })).length, 1);
  });
  it("finds users by attribute", async () => {
    const names = (await kc.users.find({ q: "dept:eng" })).map((u) => u.username);
    assert.deepEqual(names, ["bob"]);
  });
  it("counts users", async () => {
    assert.equal(await kc.users.count(), 2);
  });
  it("counts matching users", async () => {
    assert.equal(await kc.users.count({ search: "bob" }), 1);
  });
  it("updates a user", async () => {
    await kc.users.update({ id: ids.alice }, { firstName: "Alicia", emailVerified: true });
    const u = await kc.users.findOne({ id: ids.alice });
    assert.equal(u.firstName, "Alicia");
    assert.equal(u.emailVerified, true);
  });
  it("sets a user's attributes", async () => {
    await kc.users.update({ id: ids.alice }, { attributes: { color: ["blue"] } });
    const u = await kc.users.findOne({ id: ids.alice });
    assert.deepEqual(u.attributes.color, ["blue"]);
  });
  it("resets a password", async () => {
    await kc.users.resetPassword({ id: ids.alice, credential: { type: "password", value: "alice-pw", temporary: false } });
  });
  it("lists credentials", async () => {
    const creds = await kc.users.getCredentials({ id: ids.alice });
    assert.equal(creds.length, 1);
    assert.equal(creds[0].type, "password");
    ids.aliceCred = creds[0].id;
  });
  it("lists the user-storage credential types", async () => {
    assert.ok(Array.isArray(await kc.users.getUserStorageCredentialTypes({ id: ids.alice })));
  });
  it("lets the user log in with the new password", async () => {
    const res = await fetch(`${baseUrl}/realms/${REALM}/protocol/openid-connect/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "password", client_id: "admin-cli", username: "alice", password: "alice-pw" }),
    });
    assert.equal(res.status, 200);
  });
  it("lists the user's sessions", async () => {
    const s = await kc.users.listSessions({ id: ids.alice });
    assert.equal(s.length, 1);
  });
  it("lists the user's offline sessions", async () => {
    assert.deepEqual(await kc.users.listOfflineSessions({ id: ids.alice, clientId: (await kc.clients.find({ clientId: "admin-cli" }))[0].id }), []);
  });
  it("logs the user out", async () => {
    await kc.users.logout({ id: ids.alice });
    assert.deepEqual(await kc.users.listSessions({ id: ids.alice }), []);
  });
  it("deletes a credential", async () => {
    await kc.users.deleteCredential({ id: ids.alice, credentialId: ids.aliceCred });
    assert.deepEqual(await kc.users.getCredentials({ id: ids.alice }), []);
  });
  it("lists consents", async () => {
    assert.deepEqual(await kc.users.listConsents({ id: ids.alice }), []);
  });
  it("lists federated identities", async () => {
    assert.deepEqual(await kc.users.listFederatedIdentities({ id: ids.alice }), []);
  });
  it("reads the user profile configuration", async () => {
    const p = await kc.users.getProfile();
    const names = p.attributes.map((a) => a.name);
    assert.ok(names.includes("username") && names.includes("email"), names.join(","));
  });
  it("reads the user profile metadata", async () => {
    const m = await kc.users.getProfileMetadata();
    assert.ok(m.attributes.length >= 4);
  });
  it("creates and deletes a user", async () => {
    const r = await kc.users.create({ username: "temp", enabled: true });
    await kc.users.del({ id: r.id });
    assert.equal(await kc.users.findOne({ id: r.id }), null);
  });
});

describe("groups", () => {
  it("creates a group", async () => {
    const g = await kc.groups.create({ name: "staff", attributes: { level: ["1"] } });
    ids.staff = g.id;
  });
  it("refuses a duplicate top-level group (409)", async () => {
    assert.equal(await status(() => kc.groups.create({ name: "staff" })), 409);
  });
  it("creates a child group", async () => {
    const g = await kc.groups.createChildGroup({ id: ids.staff }, { name: "devs" });
    ids.devs = g.id;
  });
  it("reads a group", async () => {
    const g = await kc.groups.findOne({ id: ids.staff });
    assert.equal(g.name, "staff");
    assert.equal(g.path, "/staff");
    assert.deepEqual(g.attributes.level, ["1"]);
  });
  it("reads a child group's path", async () => {
    assert.equal((await kc.groups.findOne({ id: ids.devs })).path, "/staff/devs");
  });
  it("lists the top-level groups", async () => {
    const names = (await kc.groups.find()).map((g) => g.name).sort();
    assert.deepEqual(names, ["imported-group", "staff"]);
  });
  it("searches groups", async () => {
    const found = await kc.groups.find({ search: "devs" });
    assert.equal(found.length, 1);
  });
  it("lists subgroups", async () => {
    const names = (await kc.groups.listSubGroups({ parentId: ids.staff })).map((g) => g.name);
    assert.deepEqual(names, ["devs"]);
  });
  it("counts every group, subgroups included", async () => {
    assert.equal((await kc.groups.count()).count, 3);
  });
  it("counts the top-level groups", async () => {
    assert.equal((await kc.groups.count({ top: true })).count, 2);
  });
  it("finds a group by path", async () => {
    const g = await kc.realms.getGroupByPath({ realm: REALM, path: "staff/devs" });
    assert.equal(g.id, ids.devs);
  });
  it("updates a group", async () => {
    await kc.groups.update({ id: ids.staff }, { name: "staff", attributes: { level: ["2"] } });
    assert.deepEqual((await kc.groups.findOne({ id: ids.staff })).attributes.level, ["2"]);
  });
  it("adds a user to a group", async () => {
    await kc.users.addToGroup({ id: ids.alice, groupId: ids.devs });
  });
  it("lists a user's groups", async () => {
    const paths = (await kc.users.listGroups({ id: ids.alice })).map((g) => g.path);
    assert.deepEqual(paths, ["/staff/devs"]);
  });
  it("counts a user's groups", async () => {
    assert.equal((await kc.users.countGroups({ id: ids.alice })).count, 1);
  });
  it("lists a group's members", async () => {
    const names = (await kc.groups.listMembers({ id: ids.devs })).map((u) => u.username);
    assert.deepEqual(names, ["alice"]);
  });
  it("removes a user from a group", async () => {
    await kc.users.delFromGroup({ id: ids.alice, groupId: ids.devs });
    assert.deepEqual(await kc.groups.listMembers({ id: ids.devs }), []);
  });
  it("adds a default group", async () => {
    await kc.realms.addDefaultGroup({ realm: REALM, id: ids.staff });
    const names = (await kc.realms.getDefaultGroups({ realm: REALM })).map((g) => g.name);
    assert.deepEqual(names, ["staff"]);
  });
  it("removes a default group", async () => {
    await kc.realms.removeDefaultGroup({ realm: REALM, id: ids.staff });
    assert.deepEqual(await kc.realms.getDefaultGroups({ realm: REALM }), []);
  });
  it("creates and deletes a group", async () => {
    const g = await kc.groups.create({ name: "temp-group" });
    await kc.groups.del({ id: g.id });
    assert.equal(await kc.groups.findOne({ id: g.id }), null);
  });
});

describe("clients", () => {
  it("creates a confidential client", async () => {
    const c = await kc.clients.create({
      clientId: "shop",
      secret: "shop-secret",
      publicClient: false,
      serviceAccountsEnabled: true,
      directAccessGrantsEnabled: true,
      redirectUris: ["http://localhost/cb"],
    });
    ids.shop = c.id;
  });
  it("creates a public client", async () => {
    const c = await kc.clients.create({ clientId: "spa", publicClient: true, redirectUris: ["http://localhost/*"] });
    ids.spa = c.id;
  });
  it("refuses a duplicate clientId (409)", async () => {
    assert.equal(await status(() => kc.clients.create({ clientId: "shop" })), 409);
  });
  it("finds a client by clientId", async () => {
    const found = await kc.clients.find({ clientId: "shop" });
    assert.equal(found.length, 1);
    assert.equal(found[0].id, ids.shop);
  });
  it("lists the clients, built-in ones included", async () => {
    const names = (await kc.clients.find()).map((c) => c.clientId);
    for (const n of ["account", "admin-cli", "broker", "realm-management", "security-admin-console", "shop", "spa"]) {
      assert.ok(names.includes(n), names.join(","));
    }
  });
  it("reads a client", async () => {
    const c = await kc.clients.findOne({ id: ids.shop });
    assert.equal(c.clientId, "shop");
    assert.equal(c.serviceAccountsEnabled, true);
  });
  it("answers null for an unknown client", async () => {
    assert.equal(await kc.clients.findOne({ id: "00000000-0000-0000-0000-000000000000" }), null);
  });
  it("updates a client", async () => {
    await kc.clients.update({ id: ids.shop }, { clientId: "shop", description: "the shop" });
    assert.equal((await kc.clients.findOne({ id: ids.shop })).description, "the shop");
  });
  it("reads the client secret", async () => {
    const s = await kc.clients.getClientSecret({ id: ids.shop });
    assert.equal(s.type, "secret");
    assert.equal(s.value, "shop-secret");
  });
  it("regenerates the client secret", async () => {
    const s = await kc.clients.generateNewClientSecret({ id: ids.shop });
    assert.notEqual(s.value, "shop-secret");
  });
  it("reads the service account user", async () => {
    const u = await kc.clients.getServiceAccountUser({ id: ids.shop });
    assert.equal(u.username, "service-account-shop");
    ids.shopSA = u.id;
  });
  it("creates a client role", async () => {
    await kc.clients.createRole({ id: ids.shop, name: "buyer", description: "buys" });
  });
  it("creates a second client role", async () => {
    await kc.clients.createRole({ id: ids.shop, name: "seller" });
  });
  it("lists the client roles", async () => {
    const names = (await kc.clients.listRoles({ id: ids.shop })).map((r) => r.name).sort();
    assert.deepEqual(names, ["buyer", "seller"]);
  });
  it("reads a client role", async () => {
    const r = await kc.clients.findRole({ id: ids.shop, roleName: "buyer" });
    assert.equal(r.description, "buys");
    assert.equal(r.clientRole, true);
  });
  it("updates a client role", async () => {
    await kc.clients.updateRole({ id: ids.shop, roleName: "buyer" }, { name: "buyer", description: "buys a lot" });
    assert.equal((await kc.clients.findRole({ id: ids.shop, roleName: "buyer" })).description, "buys a lot");
  });
  it("deletes a client role", async () => {
    await kc.clients.delRole({ id: ids.shop, roleName: "seller" });
    assert.equal((await kc.clients.listRoles({ id: ids.shop })).length, 1);
  });
  it("lists the default client scopes of a client", async () => {
    const names = (await kc.clients.listDefaultClientScopes({ id: ids.shop })).map((s) => s.name);
    for (const n of ["profile", "email", "roles", "web-origins"]) {
      assert.ok(names.includes(n), names.join(","));
    }
  });
  it("lists the optional client scopes of a client", async () => {
    const names = (await kc.clients.listOptionalClientScopes({ id: ids.shop })).map((s) => s.name);
    assert.ok(names.includes("offline_access"), names.join(","));
  });
  it("adds a protocol mapper to a client", async () => {
    await kc.clients.addProtocolMapper(
      { id: ids.shop },
      { name: "tenant", protocol: "openid-connect", protocolMapper: "oidc-hardcoded-claim-mapper", config: { "claim.name": "tenant", "claim.value": "acme", "access.token.claim": "true", "jsonType.label": "String" } },
    );
  });
  it("lists the client's protocol mappers", async () => {
    const m = await kc.clients.listProtocolMappers({ id: ids.shop });
    assert.equal(m.length, 1);
    ids.shopMapper = m[0].id;
  });
  it("reads a protocol mapper", async () => {
    const m = await kc.clients.findProtocolMapperById({ id: ids.shop, mapperId: ids.shopMapper });
    assert.equal(m.name, "tenant");
  });
  it("updates a protocol mapper", async () => {
    const m = await kc.clients.findProtocolMapperById({ id: ids.shop, mapperId: ids.shopMapper });
    m.config["claim.value"] = "acme2";
    await kc.clients.updateProtocolMapper({ id: ids.shop, mapperId: ids.shopMapper }, m);
    assert.equal((await kc.clients.findProtocolMapperById({ id: ids.shop, mapperId: ids.shopMapper })).config["claim.value"], "acme2");
  });
  it("puts the mapper's claim in the client's tokens", async () => {
    const secret = (await kc.clients.getClientSecret({ id: ids.shop })).value;
    const res = await fetch(`${baseUrl}/realms/${REALM}/protocol/openid-connect/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: "shop", client_secret: secret }),
    });
    const tok = await res.json();
    const claims = JSON.parse(Buffer.from(tok.access_token.split(".")[1], "base64url"));
    assert.equal(claims.tenant, "acme2");
  });
  it("deletes a protocol mapper", async () => {
    await kc.clients.delProtocolMapper({ id: ids.shop, mapperId: ids.shopMapper });
    assert.deepEqual(await kc.clients.listProtocolMappers({ id: ids.shop }), []);
  });
  it("lists the client's user sessions", async () => {
    assert.ok(Array.isArray(await kc.clients.listSessions({ id: ids.shop })));
  });
  it("counts the client's sessions", async () => {
    assert.equal(typeof (await kc.clients.getSessionCount({ id: ids.shop })).count, "number");
  });
  it("creates and deletes a client", async () => {
    const c = await kc.clients.create({ clientId: "temp-client" });
    await kc.clients.del({ id: c.id });
    assert.equal(await kc.clients.findOne({ id: c.id }), null);
  });
});

describe("client scopes", () => {
  it("lists the built-in client scopes", async () => {
    const names = (await kc.clientScopes.find()).map((s) => s.name);
    for (const n of ["profile", "email", "roles", "web-origins", "offline_access", "address", "phone", "acr", "basic"]) {
      assert.ok(names.includes(n), names.join(","));
    }
  });
  it("creates a client scope", async () => {
    await kc.clientScopes.create({ name: "orders", protocol: "openid-connect", attributes: { "include.in.token.scope": "true" } });
  });
  it("finds a client scope by name", async () => {
    const s = await kc.clientScopes.findOneByName({ name: "orders" });
    assert.equal(s.protocol, "openid-connect");
    ids.orders = s.id;
  });
  it("reads a client scope", async () => {
    assert.equal((await kc.clientScopes.findOne({ id: ids.orders })).name, "orders");
  });
  it("updates a client scope", async () => {
    await kc.clientScopes.update({ id: ids.orders }, { name: "orders", description: "order access", protocol: "openid-connect" });
    assert.equal((await kc.clientScopes.findOne({ id: ids.orders })).description, "order access");
  });
  it("adds a protocol mapper to a client scope", async () => {
    await kc.clientScopes.addProtocolMapper(
      { id: ids.orders },
      { name: "aud", protocol: "openid-connect", protocolMapper: "oidc-audience-mapper", config: { "included.client.audience": "shop", "access.token.claim": "true" } },
    );
  });
  it("lists a client scope's protocol mappers", async () => {
    const m = await kc.clientScopes.listProtocolMappers({ id: ids.orders });
    assert.equal(m.length, 1);
    assert.equal(m[0].protocolMapper, "oidc-audience-mapper");
  });
  it("adds the scope as a realm default", async () => {
    await kc.clientScopes.addDefaultClientScope({ id: ids.orders });
    const names = (await kc.clientScopes.listDefaultClientScopes()).map((s) => s.name);
    assert.ok(names.includes("orders"), names.join(","));
  });
  it("removes the realm default", async () => {
    await kc.clientScopes.delDefaultClientScope({ id: ids.orders });
    const names = (await kc.clientScopes.listDefaultClientScopes()).map((s) => s.name);
    assert.ok(!names.includes("orders"));
  });
  it("adds the scope as a realm optional default", async () => {
    await kc.clientScopes.addDefaultOptionalClientScope({ id: ids.orders });
    const names = (await kc.clientScopes.listDefaultOptionalClientScopes()).map((s) => s.name);
    assert.ok(names.includes("orders"), names.join(","));
  });
  it("removes the realm optional default", async () => {
    await kc.clientScopes.delDefaultOptionalClientScope({ id: ids.orders });
    const names = (await kc.clientScopes.listDefaultOptionalClientScopes()).map((s) => s.name);
    assert.ok(!names.includes("orders"));
  });
  it("adds the scope to a client as optional", async () => {
    await kc.clients.addOptionalClientScope({ id: ids.shop, clientScopeId: ids.orders });
    const names = (await kc.clients.listOptionalClientScopes({ id: ids.shop })).map((s) => s.name);
    assert.ok(names.includes("orders"));
  });
  it("removes it from the client", async () => {
    await kc.clients.delOptionalClientScope({ id: ids.shop, clientScopeId: ids.orders });
    const names = (await kc.clients.listOptionalClientScopes({ id: ids.shop })).map((s) => s.name);
    assert.ok(!names.includes("orders"));
  });
  it("adds the scope to a client as default", async () => {
    await kc.clients.addDefaultClientScope({ id: ids.shop, clientScopeId: ids.orders });
    const names = (await kc.clients.listDefaultClientScopes({ id: ids.shop })).map((s) => s.name);
    assert.ok(names.includes("orders"));
  });
  it("removes the default from the client", async () => {
    await kc.clients.delDefaultClientScope({ id: ids.shop, clientScopeId: ids.orders });
    const names = (await kc.clients.listDefaultClientScopes({ id: ids.shop })).map((s) => s.name);
    assert.ok(!names.includes("orders"));
  });
  it("adds a realm role to the scope's scope mappings", async () => {
    const reader = await kc.roles.findOneByName({ name: "reader" });
    await kc.clientScopes.addRealmScopeMappings({ id: ids.orders }, [reader]);
    const names = (await kc.clientScopes.listRealmScopeMappings({ id: ids.orders })).map((r) => r.name);
    assert.deepEqual(names, ["reader"]);
  });
  it("lists the scope's available realm roles", async () => {
    const names = (await kc.clientScopes.listAvailableRealmScopeMappings({ id: ids.orders })).map((r) => r.name);
    assert.ok(names.includes("writer") && !names.includes("reader"), names.join(","));
  });
  it("removes the realm scope mapping", async () => {
    const reader = await kc.roles.findOneByName({ name: "reader" });
    await kc.clientScopes.delRealmScopeMappings({ id: ids.orders }, [reader]);
    assert.deepEqual(await kc.clientScopes.listRealmScopeMappings({ id: ids.orders }), []);
  });
  it("adds a client role to the scope's scope mappings", async () => {
    const buyer = await kc.clients.findRole({ id: ids.shop, roleName: "buyer" });
    await kc.clientScopes.addClientScopeMappings({ id: ids.orders, client: ids.shop }, [buyer]);
    const names = (await kc.clientScopes.listClientScopeMappings({ id: ids.orders, client: ids.shop })).map((r) => r.name);
    assert.deepEqual(names, ["buyer"]);
  });
  it("lists all of the scope's scope mappings", async () => {
    const m = await kc.clientScopes.listScopeMappings({ id: ids.orders });
    assert.equal(m.clientMappings.shop.mappings[0].name, "buyer");
  });
  it("removes the client scope mapping", async () => {
    const buyer = await kc.clients.findRole({ id: ids.shop, roleName: "buyer" });
    await kc.clientScopes.delClientScopeMappings({ id: ids.orders, client: ids.shop }, [buyer]);
    assert.deepEqual(await kc.clientScopes.listClientScopeMappings({ id: ids.orders, client: ids.shop }), []);
  });
  it("deletes a client scope", async () => {
    await kc.clientScopes.del({ id: ids.orders });
    assert.equal(await kc.clientScopes.findOneByName({ name: "orders" }), undefined);
  });
});

describe("role mappings", () => {
  // Keycloak stores the default role as a mapping of every new user
  // (issue 11 item 7, kctest's admin semantics).
  it("lists the realm roles granted to a new user: the default role", async () => {
    const names = (await kc.users.listRealmRoleMappings({ id: ids.bob })).map((r) => r.name);
    assert.deepEqual(names, [`default-roles-${REALM}`]);
  });
  it("grants a realm role to a user", async () => {
    const reader = await kc.roles.findOneByName({ name: "reader" });
    await kc.users.addRealmRoleMappings({ id: ids.bob, roles: [{ id: reader.id, name: reader.name }] });
  });
  it("lists the user's realm roles", async () => {
    const names = (await kc.users.listRealmRoleMappings({ id: ids.bob })).map((r) => r.name).sort();
    assert.deepEqual(names, [`default-roles-${REALM}`, "reader"]);
  });
  it("lists the user's effective realm roles", async () => {
    const names = (await kc.users.listCompositeRealmRoleMappings({ id: ids.bob })).map((r) => r.name);
    for (const n of ["reader", "offline_access", "uma_authorization"]) {
      assert.ok(names.includes(n), names.join(","));
    }
  });
  it("lists the realm roles still available", async () => {
    const names = (await kc.users.listAvailableRealmRoleMappings({ id: ids.bob })).map((r) => r.name);
    assert.ok(names.includes("writer") && !names.includes("reader"), names.join(","));
  });
  it("grants a client role to a user", async () => {
    const buyer = await kc.clients.findRole({ id: ids.shop, roleName: "buyer" });
    await kc.users.addClientRoleMappings({ id: ids.bob, clientUniqueId: ids.shop, roles: [{ id: buyer.id, name: buyer.name }] });
  });
  it("lists the user's client roles", async () => {
    const names = (await kc.users.listClientRoleMappings({ id: ids.bob, clientUniqueId: ids.shop })).map((r) => r.name);
    assert.deepEqual(names, ["buyer"]);
  });
  it("lists the user's effective client roles", async () => {
    const names = (await kc.users.listCompositeClientRoleMappings({ id: ids.bob, clientUniqueId: ids.shop })).map((r) => r.name);
    assert.deepEqual(names, ["buyer"]);
  });
  it("lists the client roles still available", async () => {
    assert.deepEqual(await kc.users.listAvailableClientRoleMappings({ id: ids.bob, clientUniqueId: ids.shop }), []);
  });
  it("lists all the user's role mappings", async () => {
    const m = await kc.users.listRoleMappings({ id: ids.bob });
    assert.ok(m.realmMappings.some((r) => r.name === "reader"));
    assert.equal(m.clientMappings.shop.mappings[0].name, "buyer");
  });
  it("finds the users with a realm role", async () => {
    const names = (await kc.roles.findUsersWithRole({ name: "reader" })).map((u) => u.username);
    assert.deepEqual(names, ["bob"]);
  });
  it("finds the users with a client role", async () => {
    const names = (await kc.clients.findUsersWithRole({ id: ids.shop, roleName: "buyer" })).map((u) => u.username);
    assert.deepEqual(names, ["bob"]);
  });
  it("puts the roles in the user's token", async () => {
    const secret = (await kc.clients.getClientSecret({ id: ids.shop })).value;
    const res = await fetch(`${baseUrl}/realms/${REALM}/protocol/openid-connect/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "password", client_id: "shop", client_secret: secret, username: "bob", password: "bob-pw" }),
    });
    assert.equal(res.status, 200);
    const claims = JSON.parse(Buffer.from((await res.json()).access_token.split(".")[1], "base64url"));
    assert.ok(claims.realm_access.roles.includes("reader"));
    assert.deepEqual(claims.resource_access.shop.roles, ["buyer"]);
  });
  it("revokes the client role", async () => {
    const buyer = await kc.clients.findRole({ id: ids.shop, roleName: "buyer" });
    await kc.users.delClientRoleMappings({ id: ids.bob, clientUniqueId: ids.shop, roles: [{ id: buyer.id, name: buyer.name }] });
    assert.deepEqual(await kc.users.listClientRoleMappings({ id: ids.bob, clientUniqueId: ids.shop }), []);
  });
  it("revokes the realm role", async () => {
    const reader = await kc.roles.findOneByName({ name: "reader" });
    await kc.users.delRealmRoleMappings({ id: ids.bob, roles: [{ id: reader.id, name: reader.name }] });
    const names = (await kc.users.listRealmRoleMappings({ id: ids.bob })).map((r) => r.name);
    assert.ok(!names.includes("reader"));
  });
  it("grants a realm role to a group", async () => {
    const writer = await kc.roles.findOneByName({ name: "writer" });
    await kc.groups.addRealmRoleMappings({ id: ids.staff, roles: [{ id: writer.id, name: writer.name }] });
    const names = (await kc.groups.listRealmRoleMappings({ id: ids.staff })).map((r) => r.name);
    assert.deepEqual(names, ["writer"]);
  });
  it("lists the group's effective realm roles", async () => {
    const names = (await kc.groups.listCompositeRealmRoleMappings({ id: ids.staff })).map((r) => r.name);
    assert.ok(names.includes("writer"));
  });
  it("lists the group's available realm roles", async () => {
    const names = (await kc.groups.listAvailableRealmRoleMappings({ id: ids.staff })).map((r) => r.name);
    assert.ok(!names.includes("writer") && names.includes("reader"), names.join(","));
  });
  it("grants a client role to a group", async () => {
    const buyer = await kc.clients.findRole({ id: ids.shop, roleName: "buyer" });
    await kc.groups.addClientRoleMappings({ id: ids.staff, clientUniqueId: ids.shop, roles: [{ id: buyer.id, name: buyer.name }] });
    const names = (await kc.groups.listClientRoleMappings({ id: ids.staff, clientUniqueId: ids.shop })).map((r) => r.name);
    assert.deepEqual(names, ["buyer"]);
  });
  it("lists all the group's role mappings", async () => {
    const m = await kc.groups.listRoleMappings({ id: ids.staff });
    assert.equal(m.realmMappings[0].name, "writer");
    assert.equal(m.clientMappings.shop.mappings[0].name, "buyer");
  });
  it("gives a member the group's roles", async () => {
    await kc.users.addToGroup({ id: ids.bob, groupId: ids.devs });
    const names = (await kc.users.listCompositeRealmRoleMappings({ id: ids.bob })).map((r) => r.name);
    assert.ok(names.includes("writer"), names.join(","));
  });
  it("revokes the group's client role", async () => {
    const buyer = await kc.clients.findRole({ id: ids.shop, roleName: "buyer" });
    await kc.groups.delClientRoleMappings({ id: ids.staff, clientUniqueId: ids.shop, roles: [{ id: buyer.id, name: buyer.name }] });
    assert.deepEqual(await kc.groups.listClientRoleMappings({ id: ids.staff, clientUniqueId: ids.shop }), []);
  });
  it("revokes the group's realm role", async () => {
    const writer = await kc.roles.findOneByName({ name: "writer" });
    await kc.groups.delRealmRoleMappings({ id: ids.staff, roles: [{ id: writer.id, name: writer.name }] });
    assert.deepEqual(await kc.groups.listRealmRoleMappings({ id: ids.staff }), []);
  });
  it("adds a realm scope mapping to a client", async () => {
    await kc.clients.update({ id: ids.spa }, { clientId: "spa", fullScopeAllowed: false });
    const reader = await kc.roles.findOneByName({ name: "reader" });
    await kc.clients.addRealmScopeMappings({ id: ids.spa }, [reader]);
    const names = (await kc.clients.listRealmScopeMappings({ id: ids.spa })).map((r) => r.name);
    assert.deepEqual(names, ["reader"]);
  });
  it("adds a client scope mapping to a client", async () => {
    const buyer = await kc.clients.findRole({ id: ids.shop, roleName: "buyer" });
    await kc.clients.addClientScopeMappings({ id: ids.spa, client: ids.shop }, [buyer]);
    const names = (await kc.clients.listClientScopeMappings({ id: ids.spa, client: ids.shop })).map((r) => r.name);
    assert.deepEqual(names, ["buyer"]);
  });
  it("lists the client's scope mappings", async () => {
    const m = await kc.clients.listScopeMappings({ id: ids.spa });
    assert.equal(m.realmMappings[0].name, "reader");
    assert.equal(m.clientMappings.shop.mappings[0].name, "buyer");
  });
  it("removes the client's scope mappings", async () => {
    const reader = await kc.roles.findOneByName({ name: "reader" });
    const buyer = await kc.clients.findRole({ id: ids.shop, roleName: "buyer" });
    await kc.clients.delRealmScopeMappings({ id: ids.spa }, [reader]);
    await kc.clients.delClientScopeMappings({ id: ids.spa, client: ids.shop }, [buyer]);
    const m = await kc.clients.listScopeMappings({ id: ids.spa });
    assert.equal(m.realmMappings, undefined);
  });
});

describe("identity providers", () => {
  it("creates an OIDC identity provider", async () => {
    await kc.identityProviders.create({
      alias: "upstream",
      providerId: "oidc",
      enabled: true,
      config: { clientId: "kc", clientSecret: "s3cret", authorizationUrl: "https://idp.example/auth", tokenUrl: "https://idp.example/token", clientAuthMethod: "client_secret_post" },
    });
  });
  it("refuses a duplicate alias (409)", async () => {
    assert.equal(await status(() => kc.identityProviders.create({ alias: "upstream", providerId: "oidc" })), 409);
  });
  it("lists identity providers", async () => {
    const aliases = (await kc.identityProviders.find()).map((i) => i.alias);
    assert.deepEqual(aliases, ["upstream"]);
  });
  it("reads an identity provider, its secret masked", async () => {
    const i = await kc.identityProviders.findOne({ alias: "upstream" });
    assert.equal(i.providerId, "oidc");
    assert.equal(i.config.clientSecret, "**********");
  });
  it("answers null for an unknown identity provider", async () => {
    assert.equal(await kc.identityProviders.findOne({ alias: "nope" }), null);
  });
  it("updates an identity provider", async () => {
    const i = await kc.identityProviders.findOne({ alias: "upstream" });
    await kc.identityProviders.update({ alias: "upstream" }, { ...i, displayName: "Upstream" });
    assert.equal((await kc.identityProviders.findOne({ alias: "upstream" })).displayName, "Upstream");
  });
  it("creates a mapper", async () => {
    const r = await kc.identityProviders.createMapper({
      alias: "upstream",
      identityProviderMapper: { name: "dept", identityProviderAlias: "upstream", identityProviderMapper: "hardcoded-attribute-idp-mapper", config: { attribute: "dept", "attribute.value": "ext", syncMode: "INHERIT" } },
    });
    ids.idpMapper = r.id;
  });
  it("lists mappers", async () => {
    const m = await kc.identityProviders.findMappers({ alias: "upstream" });
    assert.equal(m.length, 1);
    ids.idpMapper = m[0].id;
  });
  it("reads a mapper", async () => {
    const m = await kc.identityProviders.findOneMapper({ alias: "upstream", id: ids.idpMapper });
    assert.equal(m.name, "dept");
  });
  it("updates a mapper", async () => {
    const m = await kc.identityProviders.findOneMapper({ alias: "upstream", id: ids.idpMapper });
    m.config["attribute.value"] = "external";
    await kc.identityProviders.updateMapper({ alias: "upstream", id: ids.idpMapper }, m);
    assert.equal((await kc.identityProviders.findOneMapper({ alias: "upstream", id: ids.idpMapper })).config["attribute.value"], "external");
  });
  it("deletes a mapper", async () => {
    await kc.identityProviders.delMapper({ alias: "upstream", id: ids.idpMapper });
    assert.deepEqual(await kc.identityProviders.findMappers({ alias: "upstream" }), []);
  });
  it("links a user to the provider", async () => {
    await kc.users.addToFederatedIdentity({ id: ids.alice, federatedIdentityId: "upstream", federatedIdentity: { identityProvider: "upstream", userId: "ext-1", userName: "alice-ext" } });
    const f = await kc.users.listFederatedIdentities({ id: ids.alice });
    assert.equal(f[0].userName, "alice-ext");
  });
  it("unlinks the user", async () => {
    await kc.users.delFromFederatedIdentity({ id: ids.alice, federatedIdentityId: "upstream" });
    assert.deepEqual(await kc.users.listFederatedIdentities({ id: ids.alice }), []);
  });
});

describe("organizations", () => {
  it("turns organizations on for the realm", async () => {
    await kc.realms.update({ realm: REALM }, { organizationsEnabled: true });
    assert.equal((await kc.realms.findOne({ realm: REALM })).organizationsEnabled, true);
  });
  it("creates an organization", async () => {
    const o = await kc.organizations.create({ name: "Acme", alias: "acme", domains: [{ name: "acme.example", verified: false }] });
    ids.org = o.id;
    assert.ok(o.id);
  });
  it("refuses a duplicate name (409)", async () => {
    assert.equal(await status(() => kc.organizations.create({ name: "Acme", domains: [{ name: "acme2.example" }] })), 409);
  });
  it("lists organizations", async () => {
    const names = (await kc.organizations.find()).map((o) => o.name);
    assert.deepEqual(names, ["Acme"]);
  });
  it("searches organizations", async () => {
    assert.equal((await kc.organizations.find({ search: "acm" })).length, 1);
  });
  it("reads an organization", async () => {
    const o = await kc.organizations.findOne({ id: ids.org });
    assert.equal(o.alias, "acme");
    assert.equal(o.domains[0].name, "acme.example");
  });
  it("updates an organization", async () => {
    const o = await kc.organizations.findOne({ id: ids.org });
    await kc.organizations.updateById({ id: ids.org }, { ...o, description: "makes everything" });
    assert.equal((await kc.organizations.findOne({ id: ids.org })).description, "makes everything");
  });
  it("adds a member", async () => {
    await kc.organizations.addMember({ orgId: ids.org, userId: ids.alice });
  });
  it("lists members", async () => {
    const names = (await kc.organizations.listMembers({ orgId: ids.org })).map((u) => u.username);
    assert.deepEqual(names, ["alice"]);
  });
  it("reads a member", async () => {
    const m = await kc.organizations.getMember({ orgId: ids.org, userId: ids.alice });
    assert.equal(m.username, "alice");
  });
  it("lists a member's organizations", async () => {
    const names = (await kc.organizations.memberOrganizations({ userId: ids.alice })).map((o) => o.name);
    assert.deepEqual(names, ["Acme"]);
  });
  it("links an identity provider", async () => {
    await kc.organizations.linkIdp({ orgId: ids.org, alias: "upstream" });
    const aliases = (await kc.organizations.listIdentityProviders({ orgId: ids.org })).map((i) => i.alias);
    assert.deepEqual(aliases, ["upstream"]);
  });
  it("unlinks the identity provider", async () => {
    await kc.organizations.unLinkIdp({ orgId: ids.org, alias: "upstream" });
    assert.deepEqual(await kc.organizations.listIdentityProviders({ orgId: ids.org }), []);
  });
  it("removes a member", async () => {
    await kc.organizations.delMember({ orgId: ids.org, userId: ids.alice });
    assert.deepEqual(await kc.organizations.listMembers({ orgId: ids.org }), []);
  });
  it("deletes an organization", async () => {
    await kc.organizations.delById({ id: ids.org });
    assert.deepEqual(await kc.organizations.find(), []);
  });
  it("deletes the identity provider", async () => {
    await kc.identityProviders.del({ alias: "upstream" });
    assert.deepEqual(await kc.identityProviders.find(), []);
  });
});

describe("authentication flows", () => {
  it("lists the built-in flows", async () => {
    const aliases = (await kc.authenticationManagement.getFlows()).map((f) => f.alias);
    for (const a of ["browser", "direct grant", "registration", "reset credentials", "clients", "first broker login"]) {
      assert.ok(aliases.includes(a), aliases.join(","));
    }
  });
  it("copies the browser flow", async () => {
    await kc.authenticationManagement.copyFlow({ flow: "browser", newName: "browser copy" });
    const f = (await kc.authenticationManagement.getFlows()).find((x) => x.alias === "browser copy");
    assert.ok(f);
    ids.flow = f.id;
  });
  it("reads a flow", async () => {
    const f = await kc.authenticationManagement.getFlow({ flowId: ids.flow });
    assert.equal(f.alias, "browser copy");
    assert.equal(f.builtIn, false);
  });
  it("lists the copy's executions", async () => {
    const ex = await kc.authenticationManagement.getExecutions({ flow: "browser copy" });
    assert.ok(ex.some((e) => e.providerId === "auth-cookie"), JSON.stringify(ex.map((e) => e.providerId)));
  });
  it("creates a top-level flow", async () => {
    await kc.authenticationManagement.createFlow({ alias: "my flow", providerId: "basic-flow", topLevel: true, builtIn: false, description: "mine" });
    const f = (await kc.authenticationManagement.getFlows()).find((x) => x.alias === "my flow");
    ids.myFlow = f.id;
  });
  it("adds an execution", async () => {
    await kc.authenticationManagement.addExecutionToFlow({ flow: "my flow", provider: "auth-username-password-form" });
    const ex = await kc.authenticationManagement.getExecutions({ flow: "my flow" });
    assert.equal(ex.length, 1);
    ids.execution = ex[0];
  });
  it("adds a sub-flow", async () => {
    await kc.authenticationManagement.addFlowToFlow({ flow: "my flow", alias: "my sub", type: "basic-flow", provider: "registration-page-form", description: "" });
    const ex = await kc.authenticationManagement.getExecutions({ flow: "my flow" });
    assert.equal(ex.length, 2);
  });
  it("updates an execution's requirement", async () => {
    await kc.authenticationManagement.updateExecution({ flow: "my flow" }, { ...ids.execution, requirement: "REQUIRED" });
    const ex = await kc.authenticationManagement.getExecutions({ flow: "my flow" });
    assert.equal(ex[0].requirement, "REQUIRED");
  });
  it("lowers an execution's priority", async () => {
    await kc.authenticationManagement.lowerPriorityExecution({ id: ids.execution.id });
    const ex = await kc.authenticationManagement.getExecutions({ flow: "my flow" });
    assert.equal(ex[1].id, ids.execution.id);
  });
  it("raises it again", async () => {
    await kc.authenticationManagement.raisePriorityExecution({ id: ids.execution.id });
    const ex = await kc.authenticationManagement.getExecutions({ flow: "my flow" });
    assert.equal(ex[0].id, ids.execution.id);
  });
  it("deletes an execution", async () => {
    await kc.authenticationManagement.delExecution({ id: ids.execution.id });
    assert.equal((await kc.authenticationManagement.getExecutions({ flow: "my flow" })).length, 1);
  });
  it("updates a flow", async () => {
    await kc.authenticationManagement.updateFlow({ flowId: ids.myFlow }, { alias: "my flow", providerId: "basic-flow", topLevel: true, builtIn: false, description: "still mine" });
    assert.equal((await kc.authenticationManagement.getFlow({ flowId: ids.myFlow })).description, "still mine");
  });
  it("deletes flows", async () => {
    await kc.authenticationManagement.deleteFlow({ flowId: ids.myFlow });
    await kc.authenticationManagement.deleteFlow({ flowId: ids.flow });
    const aliases = (await kc.authenticationManagement.getFlows()).map((f) => f.alias);
    assert.ok(!aliases.includes("my flow") && !aliases.includes("browser copy"));
  });
  it("lists the authenticator providers", async () => {
    const p = await kc.authenticationManagement.getAuthenticatorProviders();
    assert.ok(p.some((x) => x.id === "auth-username-password-form"));
  });
  it("lists the client authenticator providers", async () => {
    const p = await kc.authenticationManagement.getClientAuthenticatorProviders();
    assert.ok(p.some((x) => x.id === "client-secret"));
  });
  it("lists the form action providers", async () => {
    assert.ok(Array.isArray(await kc.authenticationManagement.getFormActionProviders()));
  });
  it("lists the required actions", async () => {
    const aliases = (await kc.authenticationManagement.getRequiredActions()).map((a) => a.alias);
    for (const a of ["CONFIGURE_TOTP", "UPDATE_PASSWORD", "VERIFY_EMAIL", "UPDATE_PROFILE"]) {
      assert.ok(aliases.includes(a), aliases.join(","));
    }
  });
  it("reads a required action", async () => {
    const a = await kc.authenticationManagement.getRequiredActionForAlias({ alias: "CONFIGURE_TOTP" });
    assert.equal(a.providerId, "CONFIGURE_TOTP");
  });
  it("updates a required action", async () => {
    const a = await kc.authenticationManagement.getRequiredActionForAlias({ alias: "CONFIGURE_TOTP" });
    await kc.authenticationManagement.updateRequiredAction({ alias: "CONFIGURE_TOTP" }, { ...a, defaultAction: true });
    assert.equal((await kc.authenticationManagement.getRequiredActionForAlias({ alias: "CONFIGURE_TOTP" })).defaultAction, true);
  });
  it("lists unregistered required actions", async () => {
    assert.ok(Array.isArray(await kc.authenticationManagement.getUnregisteredRequiredActions()));
  });
});

describe("authorization services", () => {
  it("creates a resource server client", async () => {
    const c = await kc.clients.create({ clientId: "api", secret: "api-secret", publicClient: false, serviceAccountsEnabled: true, authorizationServicesEnabled: true, directAccessGrantsEnabled: true });
    ids.api = c.id;
  });
  it("reads the resource server settings", async () => {
    const rs = await kc.clients.getResourceServer({ id: ids.api });
    assert.equal(rs.policyEnforcementMode, "ENFORCING");
    assert.equal(rs.decisionStrategy, "UNANIMOUS");
  });
  it("updates the resource server settings", async () => {
    const rs = await kc.clients.getResourceServer({ id: ids.api });
    await kc.clients.updateResourceServer({ id: ids.api }, { ...rs, decisionStrategy: "AFFIRMATIVE" });
    assert.equal((await kc.clients.getResourceServer({ id: ids.api })).decisionStrategy, "AFFIRMATIVE");
  });
  it("lists the default resource", async () => {
    const names = (await kc.clients.listResources({ id: ids.api })).map((r) => r.name);
    assert.deepEqual(names, ["Default Resource"]);
  });
  it("creates scopes", async () => {
    await kc.clients.createAuthorizationScope({ id: ids.api }, { name: "doc:read" });
    await kc.clients.createAuthorizationScope({ id: ids.api }, { name: "doc:write" });
  });
  it("lists scopes", async () => {
    const names = (await kc.clients.listAllScopes({ id: ids.api })).map((s) => s.name).sort();
    assert.deepEqual(names, ["doc:read", "doc:write"]);
    ids.readScope = (await kc.clients.listAllScopes({ id: ids.api, name: "doc:read" }))[0].id;
  });
  it("reads a scope", async () => {
    assert.equal((await kc.clients.getAuthorizationScope({ id: ids.api, scopeId: ids.readScope })).name, "doc:read");
  });
  it("updates a scope", async () => {
    await kc.clients.updateAuthorizationScope({ id: ids.api, scopeId: ids.readScope }, { name: "doc:read", displayName: "Read" });
    assert.equal((await kc.clients.getAuthorizationScope({ id: ids.api, scopeId: ids.readScope })).displayName, "Read");
  });
  it("creates a resource with scopes", async () => {
    const r = await kc.clients.createResource({ id: ids.api }, { name: "Document", type: "urn:api:doc", uris: ["/docs/*"], scopes: [{ name: "doc:read" }, { name: "doc:write" }] });
    ids.doc = r._id;
    assert.ok(r._id);
  });
  it("reads a resource", async () => {
    const r = await kc.clients.getResource({ id: ids.api, resourceId: ids.doc });
    assert.equal(r.name, "Document");
  });
  it("lists a resource's scopes", async () => {
    const names = (await kc.clients.listScopesByResource({ id: ids.api, resourceName: ids.doc })).map((s) => s.name).sort();
    assert.deepEqual(names, ["doc:read", "doc:write"]);
  });
  it("updates a resource", async () => {
    const r = await kc.clients.getResource({ id: ids.api, resourceId: ids.doc });
    await kc.clients.updateResource({ id: ids.api, resourceId: ids.doc }, { ...r, displayName: "Doc" });
    assert.equal((await kc.clients.getResource({ id: ids.api, resourceId: ids.doc })).displayName, "Doc");
  });
  it("creates a role policy", async () => {
    const reader = await kc.roles.findOneByName({ name: "reader" });
    const p = await kc.clients.createPolicy({ id: ids.api, type: "role" }, { name: "readers", logic: "POSITIVE", roles: [{ id: reader.id, required: false }] });
    ids.rolePolicy = p.id;
  });
  it("creates a user policy", async () => {
    const p = await kc.clients.createPolicy({ id: ids.api, type: "user" }, { name: "just bob", users: [ids.bob] });
    ids.userPolicy = p.id;
  });
  it("lists policies", async () => {
    const names = (await kc.clients.listPolicies({ id: ids.api })).map((p) => p.name);
    assert.ok(names.includes("readers") && names.includes("just bob"), names.join(","));
  });
  it("finds a policy by name", async () => {
    const p = await kc.clients.findPolicyByName({ id: ids.api, name: "readers" });
    assert.equal(p.id, ids.rolePolicy);
  });
  it("reads a policy with its type", async () => {
    const p = await kc.clients.findOnePolicyWithType({ id: ids.api, type: "role", policyId: ids.rolePolicy });
    assert.equal(p.name, "readers");
  });
  it("lists the policy providers", async () => {
    const types = (await kc.clients.listPolicyProviders({ id: ids.api })).map((p) => p.type);
    for (const t of ["role", "user", "client", "group", "time", "aggregate"]) {
      assert.ok(types.includes(t), types.join(","));
    }
  });
  it("creates a resource permission", async () => {
    const p = await kc.clients.createPermission({ id: ids.api, type: "resource" }, { name: "doc access", resources: [ids.doc], policies: [ids.rolePolicy] });
    ids.resPerm = p.id;
  });
  it("creates a scope permission", async () => {
    const p = await kc.clients.createPermission({ id: ids.api, type: "scope" }, { name: "doc write", resources: [ids.doc], scopes: [ids.readScope], policies: [ids.userPolicy] });
    ids.scopePerm = p.id;
  });
  it("finds permissions", async () => {
    const names = (await kc.clients.findPermissions({ id: ids.api, name: "doc" })).map((p) => p.name).sort();
    assert.deepEqual(names, ["doc access", "doc write"]);
  });
  it("reads a permission", async () => {
    const p = await kc.clients.findOnePermission({ id: ids.api, type: "resource", permissionId: ids.resPerm });
    assert.equal(p.name, "doc access");
  });
  it("lists a permission's policies", async () => {
    const names = (await kc.clients.getAssociatedPolicies({ id: ids.api, permissionId: ids.resPerm })).map((p) => p.name);
    assert.deepEqual(names, ["readers"]);
  });
  it("lists a permission's resources", async () => {
    const names = (await kc.clients.getAssociatedResources({ id: ids.api, permissionId: ids.resPerm })).map((r) => r.name);
    assert.deepEqual(names, ["Document"]);
  });
  it("lists a permission's scopes", async () => {
    const names = (await kc.clients.getAssociatedScopes({ id: ids.api, permissionId: ids.scopePerm })).map((s) => s.name);
    assert.deepEqual(names, ["doc:read"]);
  });
  it("lists a policy's dependent policies", async () => {
    const names = (await kc.clients.listDependentPolicies({ id: ids.api, policyId: ids.rolePolicy })).map((p) => p.name);
    assert.deepEqual(names, ["doc access"]);
  });
  it("lists a resource's permissions", async () => {
    const names = (await kc.clients.listPermissionsByResource({ id: ids.api, resourceId: ids.doc })).map((p) => p.name).sort();
    assert.deepEqual(names, ["doc access", "doc write"]);
  });
  it("updates a permission", async () => {
    const p = await kc.clients.findOnePermission({ id: ids.api, type: "resource", permissionId: ids.resPerm });
    await kc.clients.updatePermission({ id: ids.api, type: "resource", permissionId: ids.resPerm }, { ...p, description: "who reads documents", resources: [ids.doc], policies: [ids.rolePolicy] });
    assert.equal((await kc.clients.findOnePermission({ id: ids.api, type: "resource", permissionId: ids.resPerm })).description, "who reads documents");
  });
  it("updates a policy", async () => {
    const p = await kc.clients.findOnePolicyWithType({ id: ids.api, type: "user", policyId: ids.userPolicy });
    await kc.clients.updatePolicy({ id: ids.api, type: "user", policyId: ids.userPolicy }, { ...p, description: "only bob" });
    assert.equal((await kc.clients.findOnePolicy({ id: ids.api, type: "user", policyId: ids.userPolicy })).description, "only bob");
  });
  it("exports the authorization settings", async () => {
    const s = await kc.clients.exportResource({ id: ids.api });
    assert.ok(s.resources.some((r) => r.name === "Document"));
    assert.ok(s.policies.some((p) => p.name === "doc access"));
  });
  // umaDecision asks for Document#scope as bob, in decision mode.
  async function umaDecision(scope) {
    const user = await fetch(`${baseUrl}/realms/${REALM}/protocol/openid-connect/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "password", client_id: "api", client_secret: "api-secret", username: "bob", password: "bob-pw" }),
    });
    const at = (await user.json()).access_token;
    const res = await fetch(`${baseUrl}/realms/${REALM}/protocol/openid-connect/token`, {
      method: "POST",
      headers: { authorization: `Bearer ${at}` },
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:uma-ticket", audience: "api", response_mode: "decision", permission: `Document#${scope}` }),
    });
    return [res.status, await res.json()];
  }
  it("denies bob doc:read: the typed resource permission's denial stands", async () => {
    // Document has a type and belongs to the resource server, so "doc
    // access" is a typed resource permission, whose denial an AFFIRMATIVE
    // resource server does not lift for a scope granted by a scope
    // permission (Keycloak: DecisionPermissionCollector).
    assert.deepEqual(await umaDecision("doc:read"), [403, { error: "access_denied", error_description: "not_authorized" }]);
  });
  it("grants bob doc:read once he is a reader", async () => {
    const reader = await kc.roles.findOneByName({ name: "reader" });
    await kc.users.addRealmRoleMappings({ id: ids.bob, roles: [{ id: reader.id, name: reader.name }] });
    assert.deepEqual(await umaDecision("doc:read"), [200, { result: true }]);
    await kc.users.delRealmRoleMappings({ id: ids.bob, roles: [{ id: reader.id, name: reader.name }] });
  });
  it("deletes a permission", async () => {
    await kc.clients.delPermission({ id: ids.api, type: "scope", permissionId: ids.scopePerm });
    assert.equal(await status(() => kc.clients.findOnePermission({ id: ids.api, type: "scope", permissionId: ids.scopePerm })), 404);
  });
  it("deletes a policy", async () => {
    await kc.clients.delPolicy({ id: ids.api, policyId: ids.userPolicy });
    const names = (await kc.clients.listPolicies({ id: ids.api })).map((p) => p.name);
    assert.ok(!names.includes("just bob"));
  });
  it("deletes a resource", async () => {
    await kc.clients.delResource({ id: ids.api, resourceId: ids.doc });
    const names = (await kc.clients.listResources({ id: ids.api })).map((r) => r.name);
    assert.ok(!names.includes("Document"));
  });
  it("deletes a scope", async () => {
    await kc.clients.delAuthorizationScope({ id: ids.api, scopeId: ids.readScope });
    const names = (await kc.clients.listAllScopes({ id: ids.api })).map((s) => s.name);
    assert.deepEqual(names, ["doc:write"]);
  });
});

describe("attack detection and cleanup", () => {
  it("reads a user's brute-force status", async () => {
    const s = await kc.attackDetection.findOne({ id: ids.bob });
    assert.equal(s.numFailures, 0);
    assert.equal(s.disabled, false);
  });
  it("clears a user's login failures", async () => {
    await kc.attackDetection.del({ id: ids.bob });
  });
  it("clears every user's login failures", async () => {
    await kc.attackDetection.delAll();
  });
  it("deletes the users", async () => {
    await kc.users.del({ id: ids.alice });
    await kc.users.del({ id: ids.bob });
    assert.equal(await kc.users.count(), 0);
  });
  it("deletes the realm", async () => {
    await kc.realms.del({ realm: REALM });
    assert.equal(await kc.realms.findOne({ realm: REALM }), null);
  });
});
