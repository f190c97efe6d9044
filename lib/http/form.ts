// Reading OAuth request parameters. RFC 6749 §3.1/§3.2: parameters MUST NOT repeat; token
// requests are application/x-www-form-urlencoded.
import { InvalidRequest } from "../oauth/errors";
import { hasControlChars } from "../oauth/text";
import { joinResources } from "../oauth/resources";

export type Params = Map<string, string>;

export function paramsFrom(search: URLSearchParams): Params {
  const out: Params = new Map();
  for (const [k, v] of search) {
    if (hasControlChars(k) || hasControlChars(v)) throw new InvalidRequest(`Parameter ${k} contains control characters`);
    // RFC 8707 §2: `resource` may be repeated; its values are kept joined (see joinedResources).
    if (k === "resource") {
      const before = out.get(k);
      if (v !== "") out.set(k, before === undefined ? v : joinResources(before, v));
      continue;
    }
    if (out.has(k)) throw new InvalidRequest(`Parameter ${k} is repeated`);
    // RFC 6749 §3.1: parameters sent without a value are treated as omitted.
    if (v !== "") out.set(k, v);
  }
  return out;
}

/** What reading a form needs of a request (lib/http/endpoint.ts's PlainRequest has it). */
export interface FormSource {
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The path of a request target: everything before the query (RFC 3986 §3.3), as the lean router matches it. */
export function pathOf(url: string): string {
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}

/** The query of a request target, absolute or not: between the first "?" and a "#", as URL parsing has it (RFC 3986 §3.4). */
export function queryOf(url: string): URLSearchParams {
  const h = url.indexOf("#");
  const end = h < 0 ? url.length : h;
  const q = url.indexOf("?");
  return q < 0 || q > end ? new URLSearchParams() : new URLSearchParams(url.slice(q + 1, end));
}

/** The form body of a POST; anything but a form is invalid_request. */
export async function readForm(req: FormSource): Promise<Params> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    throw new InvalidRequest("The request body must be application/x-www-form-urlencoded");
  }
  let text: string;
  try {
    text = await req.text();
  } catch {
    throw new InvalidRequest("The request body could not be read");
  }
  if (text.length > 64 * 1024) throw new InvalidRequest("The request body is too large");
  return paramsFrom(new URLSearchParams(text));
}
