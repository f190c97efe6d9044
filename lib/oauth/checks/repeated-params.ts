// Check (3): no parameter may be sent more than once (RFC 6749 §3.1); `resource` may (RFC 8707
// §2). From here on, errors are sent back to the client's redirect URI.
import { InvalidRequest } from "../errors";
import { nameable, type RawParams } from "./params";

export function checkNoRepeats(raw: RawParams): void {
  const seen = new Set<string>();
  for (const [name, value] of raw) {
    if (value === "") continue; // sent without a value = omitted (§3.1)
    if (name === "resource") continue; // RFC 8707 §2: may be repeated (checks/resource.ts)
    if (seen.has(name)) {
      const shown = nameable(name);
      throw new InvalidRequest(shown ? `Parameter ${shown} is repeated` : "A parameter is repeated");
    }
    seen.add(name);
  }
}
