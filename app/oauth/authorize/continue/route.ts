// Where sign-in returns to, to carry on with a parked authorization request.
export { authorizeContinueGET as GET } from "@/lib/http/endpoints/authorize";
export const dynamic = "force-dynamic";
