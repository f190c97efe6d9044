-- AlterTable
ALTER TABLE "RefreshToken" ADD COLUMN     "replay" TEXT,
ADD COLUMN     "replayCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "successorId" TEXT;

