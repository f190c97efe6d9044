-- AlterTable: a plain ADD COLUMN (the new column is the last), no table rebuild.
ALTER TABLE "Client" ADD COLUMN "idTokenUserClaims" BOOLEAN NOT NULL DEFAULT true;
