-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_PortalSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "publicSid" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "authTime" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "ip" TEXT,
    "userAgent" TEXT,
    CONSTRAINT "PortalSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Hand-edited: existing sessions get a random public sid (128 bits from SQLite's CSPRNG).
INSERT INTO "new_PortalSession" ("authTime", "createdAt", "expiresAt", "id", "ip", "lastSeenAt", "revokedAt", "userAgent", "userId", "publicSid") SELECT "authTime", "createdAt", "expiresAt", "id", "ip", "lastSeenAt", "revokedAt", "userAgent", "userId", lower(hex(randomblob(16))) FROM "PortalSession";
DROP TABLE "PortalSession";
ALTER TABLE "new_PortalSession" RENAME TO "PortalSession";
CREATE UNIQUE INDEX "PortalSession_publicSid_key" ON "PortalSession"("publicSid");
CREATE INDEX "PortalSession_userId_revokedAt_idx" ON "PortalSession"("userId", "revokedAt");
CREATE INDEX "PortalSession_expiresAt_idx" ON "PortalSession"("expiresAt");
CREATE TABLE "new_Client" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "homepageUrl" TEXT,
    "logoUrl" TEXT,
    "secretHash" TEXT,
    "secretPrefix" TEXT,
    "secretCreatedAt" DATETIME,
    "previousSecretHash" TEXT,
    "previousSecretExpiresAt" DATETIME,
    "tokenEndpointAuthMethod" TEXT NOT NULL,
    "redirectUris" TEXT NOT NULL,
    "postLogoutRedirectUris" TEXT NOT NULL DEFAULT '[]',
    "scopes" TEXT NOT NULL,
    "grantTypes" TEXT NOT NULL,
    "requirePkce" BOOLEAN NOT NULL DEFAULT true,
    "idTokenSignedResponseAlg" TEXT NOT NULL DEFAULT 'ES256',
    "suspended" BOOLEAN NOT NULL DEFAULT false,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "registrationAccessTokenHash" TEXT,
    "registrationAccessTokenExpiresAt" DATETIME,
    "registeredVia" TEXT NOT NULL DEFAULT 'dashboard',
    "lastError" TEXT,
    "lastErrorAt" DATETIME,
    "ownerId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Client_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Client" ("clientId", "createdAt", "description", "grantTypes", "homepageUrl", "id", "idTokenSignedResponseAlg", "lastError", "lastErrorAt", "logoUrl", "name", "ownerId", "postLogoutRedirectUris", "previousSecretExpiresAt", "previousSecretHash", "redirectUris", "registeredVia", "registrationAccessTokenHash", "requirePkce", "scopes", "secretCreatedAt", "secretHash", "secretPrefix", "suspended", "tokenEndpointAuthMethod", "updatedAt") SELECT "clientId", "createdAt", "description", "grantTypes", "homepageUrl", "id", "idTokenSignedResponseAlg", "lastError", "lastErrorAt", "logoUrl", "name", "ownerId", "postLogoutRedirectUris", "previousSecretExpiresAt", "previousSecretHash", "redirectUris", "registeredVia", "registrationAccessTokenHash", "requirePkce", "scopes", "secretCreatedAt", "secretHash", "secretPrefix", "suspended", "tokenEndpointAuthMethod", "updatedAt" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
CREATE UNIQUE INDEX "Client_clientId_key" ON "Client"("clientId");
CREATE UNIQUE INDEX "Client_registrationAccessTokenHash_key" ON "Client"("registrationAccessTokenHash");
CREATE INDEX "Client_ownerId_idx" ON "Client"("ownerId");
CREATE INDEX "Client_createdAt_id_idx" ON "Client"("createdAt", "id");
CREATE TABLE "new_InitialAccessToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "lastUsedAt" DATETIME,
    "useCount" INTEGER NOT NULL DEFAULT 0,
    "singleUse" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_InitialAccessToken" ("createdAt", "createdById", "expiresAt", "id", "label", "lastUsedAt", "prefix", "revokedAt", "tokenHash", "useCount") SELECT "createdAt", "createdById", "expiresAt", "id", "label", "lastUsedAt", "prefix", "revokedAt", "tokenHash", "useCount" FROM "InitialAccessToken";
DROP TABLE "InitialAccessToken";
ALTER TABLE "new_InitialAccessToken" RENAME TO "InitialAccessToken";
CREATE UNIQUE INDEX "InitialAccessToken_tokenHash_key" ON "InitialAccessToken"("tokenHash");
CREATE INDEX "InitialAccessToken_createdAt_id_idx" ON "InitialAccessToken"("createdAt", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Hand-edited backfill: codes and refresh tokens carry the session's public sid from now on.
UPDATE "AuthorizationCode" SET "sessionId" = (SELECT "publicSid" FROM "PortalSession" WHERE "PortalSession"."id" = "AuthorizationCode"."sessionId") WHERE "sessionId" IS NOT NULL;
UPDATE "RefreshToken" SET "sessionId" = (SELECT "publicSid" FROM "PortalSession" WHERE "PortalSession"."id" = "RefreshToken"."sessionId") WHERE "sessionId" IS NOT NULL;
-- Clients created by the CLI, or by an admin in the portal, count as verified.
UPDATE "Client" SET "verified" = true WHERE "registeredVia" = 'cli' OR ("registeredVia" = 'dashboard' AND "ownerId" IN (SELECT "id" FROM "User" WHERE "role" = 'admin'));

