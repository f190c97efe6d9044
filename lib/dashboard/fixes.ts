// The scorecard's one-click fixes that change registration metadata (rotate_secret is a
// rotation, done by the client store). The result is validated with the metadata schema again
// by the caller before it is stored.
import type { ClientMetadata } from "../oauth/client-metadata";
import { isRefusedRedirectUri, type ScoreFix } from "./scorecard";

export type MetadataFix = Exclude<ScoreFix, "rotate_secret">;
export function applyFix(meta: ClientMetadata, fix: MetadataFix): ClientMetadata {
  const publicClient = meta.token_endpoint_auth_method === "none";
  switch (fix) {
    case "require_pkce":
      return { ...meta, require_pkce: true };
    case "remove_loose_redirect_uris":
      // Only what the registration rules refuse: never a URI the client form allows (scorecard.ts).
      return { ...meta, redirect_uris: meta.redirect_uris.filter((u) => !isRefusedRedirectUri(u, publicClient)) };
    case "drop_client_credentials":
      return { ...meta, grant_types: meta.grant_types.filter((g) => g !== "client_credentials") };
    case "drop_refresh_token":
      return { ...meta, grant_types: meta.grant_types.filter((g) => g !== "refresh_token") };
  }
}
