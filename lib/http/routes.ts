// The protocol endpoints the lean production server (scripts/start.ts) serves before Next:
// every one of them, so that none depends on Next in production. Each endpoint is the one its
// app/ route file serves through webHandler (which `next dev` uses).
import type { Routes } from "./node-adapter";
import { ENDPOINT_PATHS as P } from "../oauth/endpoints";
import { authorizeContinueGET, authorizeGET, authorizePOST } from "./endpoints/authorize";
import { discoveryGET, discoveryOPTIONS } from "./endpoints/discovery";
import { endSessionEndpoint } from "./endpoints/end-session";
import { healthGET, readyGET } from "./endpoints/health";
import { metricsGET } from "./endpoints/metrics";
import { introspectionPOST } from "./endpoints/introspection";
import { jwksGET, jwksOPTIONS } from "./endpoints/jwks";
import {
  registrationClientDELETE,
  registrationClientGET,
  registrationClientOPTIONS,
  registrationClientPUT,
  registrationOPTIONS,
  registrationPOST,
} from "./endpoints/registration";
import { revocationOPTIONS, revocationPOST } from "./endpoints/revocation";
import { tokenOPTIONS, tokenPOST } from "./endpoints/token";
import { userinfoEndpoint, userinfoOPTIONS } from "./endpoints/userinfo";

// OPTIONS is there only on the paths with CORS (lib/http/cors.ts says which, and why not the
// others); elsewhere OPTIONS is a 405 like any other method a path does not have.
export const PROTOCOL_ROUTES: Routes = {
  "/.well-known/openid-configuration": { GET: discoveryGET, OPTIONS: discoveryOPTIONS },
  "/.well-known/oauth-authorization-server": { GET: discoveryGET, OPTIONS: discoveryOPTIONS },
  [P.jwks]: { GET: jwksGET, OPTIONS: jwksOPTIONS },
  [P.authorization]: { GET: authorizeGET, POST: authorizePOST },
  [P.authorizationContinue]: { GET: authorizeContinueGET },
  [P.token]: { POST: tokenPOST, OPTIONS: tokenOPTIONS },
  [P.userinfo]: { GET: userinfoEndpoint, POST: userinfoEndpoint, OPTIONS: userinfoOPTIONS },
  [P.revocation]: { POST: revocationPOST, OPTIONS: revocationOPTIONS },
  [P.introspection]: { POST: introspectionPOST },
  [P.endSession]: { GET: endSessionEndpoint, POST: endSessionEndpoint },
  // RFC 7591 §3, and each client's configuration endpoint /oauth/register/<client_id> (RFC 7592 §2).
  [P.registration]: { POST: registrationPOST, OPTIONS: registrationOPTIONS },
  [`${P.registration}/*`]: {
    GET: registrationClientGET,
    PUT: registrationClientPUT,
    DELETE: registrationClientDELETE,
    OPTIONS: registrationClientOPTIONS,
  },
  // Operations (not OAuth, not in discovery): liveness, readiness, Prometheus metrics.
  "/api/health": { GET: healthGET },
  "/api/ready": { GET: readyGET },
  "/metrics": { GET: metricsGET },
};
