-- AlterTable
ALTER TABLE "AuthorizationRequest" ADD COLUMN     "decision" TEXT;

