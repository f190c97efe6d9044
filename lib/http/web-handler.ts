// The one adapter of the app/ route files (`export const POST = webHandler(tokenPOST)`): a Web
// Request made plain, the endpoint's plain response made a Web Response. `next dev` serves the
// protocol this way; production serves the same endpoints from the lean router (node-adapter.ts).
import { writeHeaders, type Endpoint } from "./endpoint";
import { logError } from "../log/logger";

export function webHandler(endpoint: Endpoint) {
  return async (req: Request): Promise<Response> => {
    const { pathname, search } = new URL(req.url);
    const r = await endpoint({ method: req.method, url: pathname + search, headers: req.headers, text: () => req.text() });
    // The lean router hands a fault to the request listener's log line; here it is logged alone.
    if (r.fault !== undefined) logError(`Unexpected error in ${pathname}`, r.fault);
    const headers = new Headers();
    writeHeaders(r, {
      setHeader(name, value) {
        if (typeof value === "string") return headers.set(name, value);
        headers.delete(name);
        for (const v of value) headers.append(name, v);
      },
    });
    // An empty body is no body (a redirect): a Web Response given "" would add a text/plain Content-Type.
    return new Response(r.body === "" ? null : r.body, { status: r.status, headers });
  };
}
