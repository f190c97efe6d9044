// Check (4d): the client must be registered for the grant its response type uses (RFC 6749
// §4.1.2.1: unauthorized_client, "not authorized to request an authorization code using this
// method"): authorization_code for code, implicit for id_token (RFC 7591 §2.1 pairs them).
import { UnauthorizedClient } from "../errors";
import type { ResponseType } from "../authorization-response";
import type { OAuthClient } from "../types";

export function checkClientGrant(client: OAuthClient, responseType: ResponseType): void {
  if (responseType === "code" && !client.grantTypes.includes("authorization_code")) {
    throw new UnauthorizedClient("This client may not use the authorization code grant");
  }
  if (responseType === "id_token" && !client.grantTypes.includes("implicit")) {
    throw new UnauthorizedClient("This client may not use response_type=id_token (it is not registered for the implicit grant)");
  }
}
