-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "apiId" TEXT,
ADD COLUMN     "defaultApiId" TEXT;

-- AlterTable
ALTER TABLE "AuthorizationCode" ADD COLUMN     "resources" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "RefreshToken" ADD COLUMN     "resources" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "Api" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "scopes" TEXT NOT NULL DEFAULT '[]',
    "accessTokenTtl" INTEGER,
    "allClients" BOOLEAN NOT NULL DEFAULT true,
    "allowedClientIds" TEXT NOT NULL DEFAULT '[]',
    "ownerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Api_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Api_identifier_key" ON "Api"("identifier");

-- CreateIndex
CREATE INDEX "Api_ownerId_idx" ON "Api"("ownerId");

-- CreateIndex
CREATE INDEX "Api_createdAt_id_idx" ON "Api"("createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Client_apiId_key" ON "Client"("apiId");

-- CreateIndex
CREATE INDEX "Client_defaultApiId_idx" ON "Client"("defaultApiId");

-- AddForeignKey
ALTER TABLE "Client" ADD CONSTRAINT "Client_apiId_fkey" FOREIGN KEY ("apiId") REFERENCES "Api"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Client" ADD CONSTRAINT "Client_defaultApiId_fkey" FOREIGN KEY ("defaultApiId") REFERENCES "Api"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Api" ADD CONSTRAINT "Api_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

