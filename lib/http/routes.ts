// The protocol endpoints the lean production server (scripts/start.ts) serves before Next.
// Each handler is the one its app/ route file re-exports.
import type { Routes } from "./node-adapter";
import { ENDPOINT_PATHS as P } from "../oauth/endpoints";
import { tokenPOST } from "./endpoints/token";

export const PROTOCOL_ROUTES: Routes = {
  [P.token]: { POST: tokenPOST },
};
