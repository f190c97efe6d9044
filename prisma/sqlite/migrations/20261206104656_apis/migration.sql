-- CreateTable
CREATE TABLE "Api" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "scopes" TEXT NOT NULL DEFAULT '[]',
    "accessTokenTtl" INTEGER,
    "allClients" BOOLEAN NOT NULL DEFAULT true,
    "allowedClientIds" TEXT NOT NULL DEFAULT '[]',
    "ownerId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Api_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
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
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "registrationAccessTokenHash" TEXT,
    "registrationAccessTokenExpiresAt" DATETIME,
    "registeredVia" TEXT NOT NULL DEFAULT 'dashboard',
    "lastError" TEXT,
    "lastErrorAt" DATETIME,
    "ownerId" TEXT,
    "apiId" TEXT,
    "defaultApiId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Client_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Client_apiId_fkey" FOREIGN KEY ("apiId") REFERENCES "Api" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Client_defaultApiId_fkey" FOREIGN KEY ("defaultApiId") REFERENCES "Api" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Client" ("clientId", "createdAt", "description", "grantTypes", "homepageUrl", "id", "idTokenSignedResponseAlg", "lastError", "lastErrorAt", "logoUrl", "name", "ownerId", "postLogoutRedirectUris", "previousSecretExpiresAt", "previousSecretHash", "redirectUris", "registeredVia", "registrationAccessTokenExpiresAt", "registrationAccessTokenHash", "requirePkce", "scopes", "secretCreatedAt", "secretHash", "secretPrefix", "suspended", "tokenEndpointAuthMethod", "updatedAt", "verified") SELECT "clientId", "createdAt", "description", "grantTypes", "homepageUrl", "id", "idTokenSignedResponseAlg", "lastError", "lastErrorAt", "logoUrl", "name", "ownerId", "postLogoutRedirectUris", "previousSecretExpiresAt", "previousSecretHash", "redirectUris", "registeredVia", "registrationAccessTokenExpiresAt", "registrationAccessTokenHash", "requirePkce", "scopes", "secretCreatedAt", "secretHash", "secretPrefix", "suspended", "tokenEndpointAuthMethod", "updatedAt", "verified" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
CREATE UNIQUE INDEX "Client_clientId_key" ON "Client"("clientId");
CREATE UNIQUE INDEX "Client_registrationAccessTokenHash_key" ON "Client"("registrationAccessTokenHash");
CREATE UNIQUE INDEX "Client_apiId_key" ON "Client"("apiId");
CREATE INDEX "Client_ownerId_idx" ON "Client"("ownerId");
CREATE INDEX "Client_createdAt_id_idx" ON "Client"("createdAt", "id");
CREATE INDEX "Client_defaultApiId_idx" ON "Client"("defaultApiId");
CREATE TABLE "new_AuthorizationCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "codeHash" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "sessionId" TEXT,
    "redirectUri" TEXT NOT NULL,
    "redirectUriGiven" BOOLEAN NOT NULL DEFAULT true,
    "scope" TEXT NOT NULL,
    "resources" TEXT NOT NULL DEFAULT '',
    "nonce" TEXT,
    "codeChallenge" TEXT,
    "codeChallengeMethod" TEXT,
    "authTime" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "consumedAt" DATETIME,
    CONSTRAINT "AuthorizationCode_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AuthorizationCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_AuthorizationCode" ("authTime", "clientId", "codeChallenge", "codeChallengeMethod", "codeHash", "consumedAt", "createdAt", "expiresAt", "grantId", "id", "nonce", "redirectUri", "redirectUriGiven", "scope", "sessionId", "userId") SELECT "authTime", "clientId", "codeChallenge", "codeChallengeMethod", "codeHash", "consumedAt", "createdAt", "expiresAt", "grantId", "id", "nonce", "redirectUri", "redirectUriGiven", "scope", "sessionId", "userId" FROM "AuthorizationCode";
DROP TABLE "AuthorizationCode";
ALTER TABLE "new_AuthorizationCode" RENAME TO "AuthorizationCode";
CREATE UNIQUE INDEX "AuthorizationCode_codeHash_key" ON "AuthorizationCode"("codeHash");
CREATE INDEX "AuthorizationCode_grantId_idx" ON "AuthorizationCode"("grantId");
CREATE INDEX "AuthorizationCode_userId_clientId_idx" ON "AuthorizationCode"("userId", "clientId");
CREATE INDEX "AuthorizationCode_expiresAt_idx" ON "AuthorizationCode"("expiresAt");
CREATE TABLE "new_RefreshToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "sessionId" TEXT,
    "scope" TEXT NOT NULL,
    "resources" TEXT NOT NULL DEFAULT '',
    "authTime" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "absoluteExpiresAt" DATETIME NOT NULL,
    "rotatedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "RefreshToken_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RefreshToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RefreshToken" ("absoluteExpiresAt", "authTime", "clientId", "createdAt", "expiresAt", "grantId", "id", "revokedAt", "rotatedAt", "scope", "sessionId", "tokenHash", "userId") SELECT "absoluteExpiresAt", "authTime", "clientId", "createdAt", "expiresAt", "grantId", "id", "revokedAt", "rotatedAt", "scope", "sessionId", "tokenHash", "userId" FROM "RefreshToken";
DROP TABLE "RefreshToken";
ALTER TABLE "new_RefreshToken" RENAME TO "RefreshToken";
CREATE UNIQUE INDEX "RefreshToken_tokenHash_key" ON "RefreshToken"("tokenHash");
CREATE INDEX "RefreshToken_grantId_idx" ON "RefreshToken"("grantId");
CREATE INDEX "RefreshToken_userId_clientId_idx" ON "RefreshToken"("userId", "clientId");
CREATE INDEX "RefreshToken_expiresAt_idx" ON "RefreshToken"("expiresAt");
CREATE INDEX "RefreshToken_absoluteExpiresAt_idx" ON "RefreshToken"("absoluteExpiresAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Api_identifier_key" ON "Api"("identifier");

-- CreateIndex
CREATE INDEX "Api_ownerId_idx" ON "Api"("ownerId");

-- CreateIndex
CREATE INDEX "Api_createdAt_id_idx" ON "Api"("createdAt", "id");

