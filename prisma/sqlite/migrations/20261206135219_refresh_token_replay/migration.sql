-- AlterTable (ADD COLUMN, not Prisma's table copy: instant on a large RefreshToken table)
ALTER TABLE "RefreshToken" ADD COLUMN "successorId" TEXT;
ALTER TABLE "RefreshToken" ADD COLUMN "replay" TEXT;
ALTER TABLE "RefreshToken" ADD COLUMN "replayCount" INTEGER NOT NULL DEFAULT 0;
