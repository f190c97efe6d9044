// Pending authorization requests (parked for sign-in or consent): Prisma. Only the requests
// that need the user's action get here, not the hot path of a user who already consented.
import type { Db } from "../client";
import type { AuthorizationParams, ConsentDecision, OAuthStores } from "../../oauth/types";

export function protocolRequests(db: Db): OAuthStores["requests"] {
  return {
    async create(r) {
      await db.authorizationRequest.create({ data: { ...r, params: JSON.stringify(r.params) } });
    },
    async find(id) {
      const r = await db.authorizationRequest.findUnique({ where: { id } });
      // A request parked before response_type=id_token and response_mode existed was a code
      // request answered in the query; one parked before resources (or acr_values) existed names none.
      if (!r) return null;
      const stored = JSON.parse(r.params) as Partial<AuthorizationParams>;
      const params = { responseType: "code", responseMode: "query", ...stored, resources: stored.resources ?? [], acrValues: stored.acrValues ?? [] } as AuthorizationParams;
      return { ...r, params, decision: r.decision === "allow" || r.decision === "deny" ? r.decision : null };
    },
    async bindSession(id, sessionId) {
      const bound = await db.authorizationRequest.updateMany({ where: { id, sessionId: null }, data: { sessionId } });
      if (bound.count === 1) return true;
      const r = await db.authorizationRequest.findUnique({ where: { id }, select: { sessionId: true } });
      return r?.sessionId === sessionId;
    },
    async consume(id, now, decision) {
      const r = await db.authorizationRequest.updateMany({ where: { id, consumedAt: null }, data: { consumedAt: now, decision: decision ?? null } });
      return r.count === 1;
    },
    async takeDecision(id) {
      // Read, then clear only if still set: of concurrent takers exactly one clears it.
      const r = await db.authorizationRequest.findUnique({ where: { id }, select: { decision: true } });
      if (r?.decision !== "allow" && r?.decision !== "deny") return null;
      const taken = await db.authorizationRequest.updateMany({ where: { id, decision: r.decision }, data: { decision: null } });
      return taken.count === 1 ? (r.decision as ConsentDecision) : null;
    },
  };
}
