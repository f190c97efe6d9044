// Check (4d): the client must be allowed the authorization code grant (RFC 6749 §4.1.2.1:
// unauthorized_client, "not authorized to request an authorization code using this method").
import { UnauthorizedClient } from "../errors";
import type { OAuthClient } from "../types";

export function checkClientGrant(client: OAuthClient): void {
  if (!client.grantTypes.includes("authorization_code")) {
    throw new UnauthorizedClient("This client may not use the authorization code grant");
  }
}
