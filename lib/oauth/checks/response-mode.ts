// Check (4c): response_mode (OAuth 2.0 Multiple Response Type Encoding Practices §2.1, OAuth 2.0
// Form Post Response Mode §2). query, fragment and form_post are served; the default is query
// for code (§2.1) and fragment for id_token (§3). query is refused for id_token (§2.1, §3: the
// query encoding MUST NOT be used for a response that carries a token; it would land in server
// logs and Referer headers).
import { InvalidRequest } from "../errors";
import { RESPONSE_MODES, type ResponseMode, type ResponseType } from "../authorization-response";
import { single, values, type RawParams } from "./params";

const isMode = (m: string | undefined): m is ResponseMode => (RESPONSE_MODES as readonly string[]).includes(m ?? "");

/** A response type that carries a token in the front channel: its default mode is the fragment. */
const carriesToken = (responseType: string | undefined) =>
  responseType?.split(" ").some((t) => t === "token" || t === "id_token") === true;

/**
 * How to answer this request, errors included, decided before it is validated (its errors go
 * back the way the client expects them): the response_mode sent, when served and allowed for
 * the response type sent, else that type's default (Multiple Response Types §2.1, §3).
 */
export function responseModeOf(raw: RawParams): ResponseMode {
  const responseType = values(raw, "response_type")[0];
  const mode = values(raw, "response_mode")[0];
  const tokens = carriesToken(responseType);
  if (isMode(mode) && !(tokens && mode === "query")) return mode;
  return tokens ? "fragment" : "query";
}

export function checkResponseMode(raw: RawParams, responseType: ResponseType): ResponseMode {
  const mode = single(raw, "response_mode");
  if (mode === null) return responseType === "code" ? "query" : "fragment";
  if (!isMode(mode)) throw new InvalidRequest("response_mode must be query, fragment or form_post");
  if (mode === "query" && responseType !== "code") throw new InvalidRequest("response_mode=query is not allowed for response_type=id_token");
  return mode;
}
