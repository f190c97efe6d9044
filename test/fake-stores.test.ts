// The fake store keeps the same contract as the real ones (test/store-contract.ts).
import { randomUUID } from "node:crypto";
import { FakeStores } from "./fake-stores";
import { storeContract, storedEvent } from "./store-contract";

storeContract("the fake (test/fake-stores.ts)", async () => {
  const fake = new FakeStores();
  const rowOf = (id: string) => [...fake.clientRows.values()].find((c) => c.id === id);
  return {
    stores: fake,
    documentClients: fake.documentClients,
    seed: {
      async user(u = {}) {
        return fake.addUser({ id: randomUUID(), email: u.email ?? `${randomUUID()}@test.dev`, name: u.name ?? null, emailVerified: false, disabled: false, updatedAt: new Date() });
      },
      async client(c, ownerId) {
        const owner = ownerId === null ? undefined : fake.userRows.get(ownerId);
        return fake.addClient({ ...c, id: randomUUID(), ownerName: owner ? (owner.name ?? owner.email) : null });
      },
      async session(userId, expiresAt, amr = ["pwd"]) {
        const s = { id: randomUUID(), sid: randomUUID(), userId, authTime: new Date(), amr };
        fake.addSession(s, { expiresAt });
        return s;
      },
      async revokeSession(id) {
        fake.sessionRows.get(id)!.revokedAt = new Date();
      },
      async updateUser(id, change) {
        const u = fake.userRows.get(id)!;
        if (change.disabled !== undefined) u.disabled = change.disabled;
        if (change.name !== undefined) u.name = change.name;
        if (change.emailVerified !== undefined) u.emailVerified = change.emailVerified;
        if (change.updatedAt !== undefined) u.updatedAt = new Date(change.updatedAt);
        if (change.mustResetPassword === true) fake.passwordResetDue.add(id);
        if (change.mustResetPassword === false) fake.passwordResetDue.delete(id);
      },
      async revokeConsent(userId, clientId) {
        fake.consentRows.delete(`${userId} ${clientId}`);
      },
      async expireCode(codeId, at) {
        fake.codeRows.get(codeId)!.expiresAt = new Date(at);
      },
      async deleteClient(id) {
        fake.clientRows.delete(rowOf(id)!.clientId);
      },
      async events() {
        return fake.auditEvents.map(storedEvent);
      },
      async api(a) {
        const api = fake.addApi({ ...a, id: randomUUID() });
        const credentials = fake.addClient({
          id: randomUUID(),
          clientId: `lk_${randomUUID()}`,
          name: a.name,
          ownerName: null,
          logoUrl: null,
          homepageUrl: null,
          verified: true,
          tokenEndpointAuthMethod: "client_secret_basic",
          secretHash: "x",
          previousSecretHash: null,
          previousSecretExpiresAt: null,
          redirectUris: [],
          postLogoutRedirectUris: [],
          scopes: [],
          grantTypes: [],
          requirePkce: true,
          signingAlg: "ES256",
          idTokenUserClaims: true,
          suspended: false,
          defaultResource: null,
          resourceServer: a.identifier,
        });
        return { api, credentialsClientId: credentials.clientId };
      },
      async setDefaultApi(clientId, apiId) {
        rowOf(clientId)!.defaultResource = apiId === null ? null : fake.apiRows.get(apiId)!.identifier;
      },
    },
    async close() {},
  };
});
