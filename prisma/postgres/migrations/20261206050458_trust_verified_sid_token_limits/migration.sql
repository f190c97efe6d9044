-- AlterTable
-- Hand-edited: existing sessions get a random public sid (gen_random_uuid: PostgreSQL 13+, strong random).
ALTER TABLE "PortalSession" ADD COLUMN     "publicSid" TEXT;
UPDATE "PortalSession" SET "publicSid" = replace(gen_random_uuid()::text, '-', '');
ALTER TABLE "PortalSession" ALTER COLUMN "publicSid" SET NOT NULL;

-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "registrationAccessTokenExpiresAt" TIMESTAMP(3),
ADD COLUMN     "verified" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "InitialAccessToken" ADD COLUMN     "singleUse" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE UNIQUE INDEX "PortalSession_publicSid_key" ON "PortalSession"("publicSid");


-- Hand-edited backfill: codes and refresh tokens carry the session's public sid from now on.
UPDATE "AuthorizationCode" c SET "sessionId" = s."publicSid" FROM "PortalSession" s WHERE s."id" = c."sessionId";
UPDATE "RefreshToken" r SET "sessionId" = s."publicSid" FROM "PortalSession" s WHERE s."id" = r."sessionId";
-- Clients created by the CLI, or by an admin in the portal, count as verified.
UPDATE "Client" SET "verified" = true WHERE "registeredVia" = 'cli' OR ("registeredVia" = 'dashboard' AND "ownerId" IN (SELECT "id" FROM "User" WHERE "role" = 'admin'));
