// The protocol endpoints the lean production server (scripts/start.ts) serves before Next:
// every one of them, so that none depends on Next in production. Each endpoint is the one its
// app/ route file serves through webHandler (which `next dev` uses).
import type { Routes } from "./node-adapter";
import { ENDPOINT_PATHS as P } from "../oauth/endpoints";
import { authorizeContinueGET, authorizeGET, authorizePOST } from "./endpoints/authorize";
import { discoveryGET } from "./endpoints/discovery";
import { endSessionEndpoint } from "./endpoints/end-session";
import { introspectionPOST } from "./endpoints/introspection";
import { jwksGET } from "./endpoints/jwks";
import {
  registrationClientDELETE,
  registrationClientGET,
  registrationClientPUT,
  registrationPOST,
} from "./endpoints/registration";
import { revocationPOST } from "./endpoints/revocation";
import { tokenPOST } from "./endpoints/token";
import { userinfoEndpoint } from "./endpoints/userinfo";

export const PROTOCOL_ROUTES: Routes = {
  "/.well-known/openid-configuration": { GET: discoveryGET },
  "/.well-known/oauth-authorization-server": { GET: discoveryGET },
  [P.jwks]: { GET: jwksGET },
  [P.authorization]: { GET: authorizeGET, POST: authorizePOST },
  [P.authorizationContinue]: { GET: authorizeContinueGET },
  [P.token]: { POST: tokenPOST },
  [P.userinfo]: { GET: userinfoEndpoint, POST: userinfoEndpoint },
  [P.revocation]: { POST: revocationPOST },
  [P.introspection]: { POST: introspectionPOST },
  [P.endSession]: { GET: endSessionEndpoint, POST: endSessionEndpoint },
  // RFC 7591 §3, and each client's configuration endpoint /oauth/register/<client_id> (RFC 7592 §2).
  [P.registration]: { POST: registrationPOST },
  [`${P.registration}/*`]: { GET: registrationClientGET, PUT: registrationClientPUT, DELETE: registrationClientDELETE },
};
