// Pending authorization requests (parked for sign-in or consent): Prisma. Only the requests
// that need the user's action get here, not the hot path of a user who already consented.
import type { Db } from "../client";
import type { AuthorizationParams, OAuthStores } from "../../oauth/types";

export function protocolRequests(db: Db): OAuthStores["requests"] {
  return {
    async create(r) {
      await db.authorizationRequest.create({ data: { ...r, params: JSON.stringify(r.params) } });
    },
    async find(id) {
      const r = await db.authorizationRequest.findUnique({ where: { id } });
      if (!r) return null;
      const params = JSON.parse(r.params) as AuthorizationParams;
      // Requests parked before resources existed name none.
      return { ...r, params: { ...params, resources: params.resources ?? [] } };
    },
    async bindSession(id, sessionId) {
      const bound = await db.authorizationRequest.updateMany({ where: { id, sessionId: null }, data: { sessionId } });
      if (bound.count === 1) return true;
      const r = await db.authorizationRequest.findUnique({ where: { id }, select: { sessionId: true } });
      return r?.sessionId === sessionId;
    },
    async consume(id, now) {
      const r = await db.authorizationRequest.updateMany({ where: { id, consumedAt: null }, data: { consumedAt: now } });
      return r.count === 1;
    },
  };
}
