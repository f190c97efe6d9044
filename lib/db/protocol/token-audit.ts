// The audit events of token issuance (issue 6: "tokens issued/refreshed"), written by the
// stores in the same transaction as the token rows. The jti identifies the access token; it is
// not a credential. Never the token itself.
import type { AuditInput } from "../audit";
import type { NewAccessToken } from "../../oauth/types";

export type IssuedVia = "authorization_code" | "refresh_token" | "client_credentials";

export function tokenAuditEvent(via: IssuedVia, access: NewAccessToken, refreshIssued: boolean): AuditInput {
  return {
    type: via === "refresh_token" ? "token.refreshed" : "token.issued",
    actorId: access.userId,
    subjectId: access.userId,
    clientId: access.clientId,
    data: { grant_type: via, jti: access.jti, scope: access.scope.join(" "), refresh_token_issued: refreshIssued },
  };
}
