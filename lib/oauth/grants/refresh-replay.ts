// A retry with a just-rotated refresh token: the response to a refresh can be lost after the
// rotation committed (network, client timeout, crash), and the client then retries with the token
// it still holds. Within a short grace window, while the successor is unused, the SAME response is
// answered again, a bounded number of times; every other reuse revokes the family (RFC 9700
// §4.14.2). Replaying rather than minting a sibling keeps the family one chain: parallel or
// retried refreshes all end with the same successor, and there is no second live token to find.
//
// The response is kept with the successor, sealed under a key derived from the rotated token's
// plaintext (lib/crypto/token-seal.ts): the database stores only token hashes, so only the
// presenter of the rotated token can read it. It goes when the successor is rotated or revoked.
import { openWithToken, sealWithToken } from "../../crypto/token-seal";
import { InvalidGrant } from "../errors";
import type { TokenResponse } from "../tokens";
import type { OAuthClient, OAuthDeps, RefreshRecord } from "../types";

interface SealedResponse {
  response: TokenResponse;
  /** The access token's expiry (ms since the epoch): expires_in is counted again at each replay. */
  accessExpiresAt: number;
}

/** The response of the rotation of `rotatedId` (presented as `token`), for claimReplay to return. */
export function sealResponse(token: string, rotatedId: string, response: TokenResponse, accessExpiresAt: Date): string {
  const sealed: SealedResponse = { response, accessExpiresAt: accessExpiresAt.getTime() };
  return sealWithToken(token, rotatedId, JSON.stringify(sealed));
}

/**
 * `record` was rotated: the sealed response again if the grace allows it, else the family revoked
 * and invalid_grant. `raced`: this request read the token while it was current and lost the
 * rotation to a concurrent one (which has committed by now): it was in flight, not a retry, so it
 * is not counted against `max`. N parallel refreshes thus all get the one successor, however
 * many; a retry after the rotation, from a lost response, is counted.
 */
export async function replayOrRevoke(
  deps: OAuthDeps,
  client: OAuthClient,
  record: RefreshRecord,
  token: string,
  now: Date,
  raced: boolean,
): Promise<TokenResponse> {
  const { tokens } = deps.stores;
  const grace = deps.refreshReuseGrace;
  // §6: only the client it was issued to; a rotated token presented by another client is a
  // leaked token in use, and revokes the family like every other reuse.
  if (grace.seconds > 0 && record.clientId === client.id && record.userActive && record.absoluteExpiresAt > now) {
    const sealed = await tokens.claimReplay(record.id, new Date(now.getTime() - grace.seconds * 1000), raced ? null : grace.max);
    const opened = sealed === null ? null : openWithToken(token, record.id, sealed);
    if (opened !== null) {
      const { response, accessExpiresAt } = JSON.parse(opened) as SealedResponse;
      // RFC 6749 §5.1: expires_in from now, not from the first answer.
      return { ...response, expires_in: Math.max(0, Math.floor((accessExpiresAt - now.getTime()) / 1000)) };
    }
  }
  await tokens.revokeOnReuse(record.grantId, now, { userId: record.userId, clientId: client.id });
  throw new InvalidGrant(record.clientId === client.id ? "The refresh token was already used" : "The refresh token is invalid");
}
