// Dynamic client registration endpoint (RFC 7591 §3).
import { registrationPOST } from "@/lib/http/endpoints/registration";
import { webHandler } from "@/lib/http/web-handler";

export const POST = webHandler(registrationPOST);
