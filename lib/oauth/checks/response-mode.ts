// Check (4c): response_mode (OAuth 2.0 Multiple Response Type Encoding Practices §2.1). We
// answer in the query string only; a client that asked for another mode would look for the
// answer where it is not, so the request is refused instead of answered differently.
import { InvalidRequest } from "../errors";
import { single, type RawParams } from "./params";

export function checkResponseMode(raw: RawParams): void {
  const mode = single(raw, "response_mode");
  if (mode !== null && mode !== "query") throw new InvalidRequest("Only response_mode=query is supported");
}
