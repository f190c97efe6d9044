// Check (1): the client. client_id must be present, sent once, registered and not suspended.
// Failing here there is no trustworthy place to send the user back to, so the user sees an
// error page (RFC 6749 §4.1.2.1: the server MUST NOT redirect to an unverified client).
import { InvalidAuthorizationTarget } from "../errors";
import type { OAuthClient } from "../types";
import { values, type RawParams } from "./params";
import { hasControlChars } from "../text";

/** Longest client_id worth a lookup; ours are far shorter. */
const MAX_CLIENT_ID_LENGTH = 255;

const unknownClient = (clientId: string) =>
  new InvalidAuthorizationTarget(
    "Unknown application",
    "The application that sent you here is not registered with Latchkey. Go back to the app and contact its developer.",
    undefined,
    `client_id "${clientId.slice(0, 100)}" is not registered on this server. Without a known client there is no verified ` +
      "redirect_uri, so the error cannot be sent back to the application (RFC 6749 §4.1.2.1).",
  );

/** The client_id to look up (RFC 6749 §4.1.1: REQUIRED). */
export function requestedClientId(raw: RawParams): string {
  const ids = values(raw, "client_id");
  if (ids.length === 0) {
    throw new InvalidAuthorizationTarget(
      "Missing application",
      "The request does not say which application is asking (client_id is missing). Go back to the app and try again.",
      undefined,
      "client_id is missing from the authorization request (RFC 6749 §4.1.1: REQUIRED).",
    );
  }
  if (ids.length > 1) {
    throw new InvalidAuthorizationTarget(
      "Invalid request",
      "The request names more than one application (client_id is repeated). Go back to the app and try again.",
      undefined,
      `client_id appears ${ids.length} times; a parameter must not be repeated (RFC 6749 §3.1).`,
    );
  }
  const id = ids[0]!;
  // Not worth a lookup (and NUL cannot even be queried on PostgreSQL): no such client.
  if (id.length > MAX_CLIENT_ID_LENGTH || hasControlChars(id)) throw unknownClient(hasControlChars(id) ? JSON.stringify(id).slice(1, -1) : id);
  return id;
}

/** The result of looking up that client_id: known and not suspended. */
export function checkClient(client: OAuthClient | null, requested = ""): OAuthClient {
  if (!client) throw unknownClient(requested);
  if (client.suspended) {
    throw new InvalidAuthorizationTarget(
      "Application suspended",
      "This application has been suspended by the Latchkey administrator and cannot sign you in.",
      undefined,
      `client_id "${client.clientId}" is suspended by an administrator of this server; its authorization requests are refused until it is resumed.`,
    );
  }
  return client;
}
