// The protocol endpoints the lean production server (scripts/start.ts) serves before Next.
// Each handler is the one its app/ route file re-exports.
import type { Routes } from "./node-adapter";
import { ENDPOINT_PATHS as P } from "../oauth/endpoints";
import { authorizeContinueGET, authorizeGET, authorizePOST } from "./endpoints/authorize";
import { discoveryGET } from "./endpoints/discovery";
import { endSessionGET, endSessionPOST } from "./endpoints/end-session";
import { introspectionPOST } from "./endpoints/introspection";
import { jwksGET } from "./endpoints/jwks";
import { registrationPOST } from "./endpoints/registration";
import { revocationPOST } from "./endpoints/revocation";
import { tokenPOST } from "./endpoints/token";
import { userinfoGET, userinfoPOST } from "./endpoints/userinfo";

export const PROTOCOL_ROUTES: Routes = {
  "/.well-known/openid-configuration": { GET: discoveryGET },
  "/.well-known/oauth-authorization-server": { GET: discoveryGET },
  [P.jwks]: { GET: jwksGET },
  [P.authorization]: { GET: authorizeGET, POST: authorizePOST },
  [P.authorizationContinue]: { GET: authorizeContinueGET },
  [P.token]: { POST: tokenPOST },
  [P.userinfo]: { GET: userinfoGET, POST: userinfoPOST },
  [P.revocation]: { POST: revocationPOST },
  [P.introspection]: { POST: introspectionPOST },
  [P.endSession]: { GET: endSessionGET, POST: endSessionPOST },
  // RFC 7591 §3. The per-client RFC 7592 paths (/oauth/register/<client_id>) are not exact
  // paths, so Next serves them (app/oauth/register/[clientId]/route.ts, the same handlers).
  [P.registration]: { POST: registrationPOST },
};
