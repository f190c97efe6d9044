// Where each endpoint lives, relative to the issuer. Discovery advertises these; nothing else
// should build these URLs by hand.
export const ENDPOINT_PATHS = {
  authorization: "/oauth/authorize",
  authorizationContinue: "/oauth/authorize/continue",
  token: "/oauth/token",
  userinfo: "/oauth/userinfo",
  jwks: "/.well-known/jwks.json",
  revocation: "/oauth/revoke",
  introspection: "/oauth/introspect",
  endSession: "/oauth/logout",
  // RFC 7591 §3; each client's configuration is at <registration>/<client_id> (RFC 7592 §2).
  registration: "/oauth/register",
  consent: "/consent",
  signIn: "/signin",
  // The portal's step-up page: asks for a factor that meets ?acr=, then goes on to ?callbackUrl=.
  stepUp: "/signin/step-up",
} as const;

export const endpointUrl = (issuer: string, name: keyof typeof ENDPOINT_PATHS) => `${issuer}${ENDPOINT_PATHS[name]}`;
