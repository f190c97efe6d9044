-- CreateIndex
CREATE INDEX "RefreshToken_absoluteExpiresAt_idx" ON "RefreshToken"("absoluteExpiresAt");

