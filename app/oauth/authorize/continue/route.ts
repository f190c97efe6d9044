// Where sign-in returns to, to carry on with a parked authorization request.
import { authorizeContinueGET } from "@/lib/http/endpoints/authorize";
import { webHandler } from "@/lib/http/web-handler";

export const GET = webHandler(authorizeContinueGET);
export const dynamic = "force-dynamic";
