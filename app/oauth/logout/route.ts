// End-session endpoint (OpenID Connect RP-Initiated Logout 1.0).
export { endSessionGET as GET, endSessionPOST as POST } from "@/lib/http/endpoints/end-session";
