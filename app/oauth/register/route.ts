// Dynamic client registration endpoint (RFC 7591 §3).
export { registrationPOST as POST } from "@/lib/http/endpoints/registration";
