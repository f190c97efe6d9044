-- CreateTable
CREATE TABLE "InitialAccessToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "lastUsedAt" DATETIME,
    "useCount" INTEGER NOT NULL DEFAULT 0
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "registrationAccessTokenHash" TEXT,
    "registeredVia" TEXT NOT NULL DEFAULT 'dashboard',
    "lastError" TEXT,
    "lastErrorAt" DATETIME,
    "ownerId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Client_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Client" ("clientId", "createdAt", "description", "grantTypes", "homepageUrl", "id", "idTokenSignedResponseAlg", "logoUrl", "name", "ownerId", "postLogoutRedirectUris", "previousSecretExpiresAt", "previousSecretHash", "redirectUris", "requirePkce", "scopes", "secretCreatedAt", "secretHash", "secretPrefix", "suspended", "tokenEndpointAuthMethod", "updatedAt") SELECT "clientId", "createdAt", "description", "grantTypes", "homepageUrl", "id", "idTokenSignedResponseAlg", "logoUrl", "name", "ownerId", "postLogoutRedirectUris", "previousSecretExpiresAt", "previousSecretHash", "redirectUris", "requirePkce", "scopes", "secretCreatedAt", "secretHash", "secretPrefix", "suspended", "tokenEndpointAuthMethod", "updatedAt" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
CREATE UNIQUE INDEX "Client_clientId_key" ON "Client"("clientId");
CREATE UNIQUE INDEX "Client_registrationAccessTokenHash_key" ON "Client"("registrationAccessTokenHash");
CREATE INDEX "Client_ownerId_idx" ON "Client"("ownerId");
CREATE INDEX "Client_createdAt_id_idx" ON "Client"("createdAt", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "InitialAccessToken_tokenHash_key" ON "InitialAccessToken"("tokenHash");

-- CreateIndex
CREATE INDEX "InitialAccessToken_createdAt_id_idx" ON "InitialAccessToken"("createdAt", "id");

