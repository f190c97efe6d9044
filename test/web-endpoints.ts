// Tests only: a group of plain endpoints (authorizeEndpoints, makeRegistration) served as the
// app/ route files serve them, so that tests can send Web Requests and read Web Responses.
import type { Endpoint } from "../lib/http/endpoint";
import { webHandler } from "../lib/http/web-handler";

export function webEndpoints<K extends string>(endpoints: Record<K, Endpoint>): Record<K, (req: Request) => Promise<Response>> {
  return Object.fromEntries(Object.entries<Endpoint>(endpoints).map(([name, e]) => [name, webHandler(e)])) as Record<K, (req: Request) => Promise<Response>>;
}
