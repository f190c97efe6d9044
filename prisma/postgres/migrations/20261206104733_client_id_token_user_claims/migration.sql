-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "idTokenUserClaims" BOOLEAN NOT NULL DEFAULT true;

