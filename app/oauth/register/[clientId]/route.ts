// Client configuration endpoint, the registration_client_uri (RFC 7592 §2): read, update, delete.
export {
  registrationClientGET as GET,
  registrationClientPUT as PUT,
  registrationClientDELETE as DELETE,
} from "@/lib/http/endpoints/registration";
