-- CreateIndex
CREATE INDEX "Consent_revokedAt_createdAt_id_idx" ON "Consent"("revokedAt", "createdAt", "id");

