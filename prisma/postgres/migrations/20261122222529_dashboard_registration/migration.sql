-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "lastErrorAt" TIMESTAMP(3),
ADD COLUMN     "registeredVia" TEXT NOT NULL DEFAULT 'dashboard',
ADD COLUMN     "registrationAccessTokenHash" TEXT;

-- CreateTable
CREATE TABLE "InitialAccessToken" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "useCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "InitialAccessToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InitialAccessToken_tokenHash_key" ON "InitialAccessToken"("tokenHash");

-- CreateIndex
CREATE INDEX "InitialAccessToken_createdAt_id_idx" ON "InitialAccessToken"("createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Client_registrationAccessTokenHash_key" ON "Client"("registrationAccessTokenHash");

