// The WebAuthn relying party: its ID and the origin the browser must report, from ISSUER.
// RP ID = the issuer's host name, origin = the issuer's origin (W3C WebAuthn Level 3 §5.1.3:
// the RP ID must be a registrable suffix of the page's effective domain, §13.4.9 the origin check).
//
// An IP address is not a valid RP ID (WebAuthn §5.1.3 needs a domain; Chromium answers
// "SecurityError: This is an invalid domain"), so a loopback issuer (http://127.0.0.1:3000,
// http://[::1]:3000) cannot use passkeys as it is. For that development case only, passkeys work
// at http://localhost:<port> (same machine, and browsers treat localhost as a secure context):
// RP ID "localhost" and that origin. Any other IP issuer gets no passkeys at all (null).
export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

const LOOPBACK_IPS = new Set(["127.0.0.1", "[::1]"]);
const IP = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;

export function relyingParty(issuer: string, name = "Latchkey"): RelyingParty | null {
  const url = new URL(issuer);
  if (LOOPBACK_IPS.has(url.hostname)) {
    return { id: "localhost", name, origin: `${url.protocol}//localhost${url.port ? `:${url.port}` : ""}` };
  }
  if (IP.test(url.hostname)) return null;
  return { id: url.hostname, name, origin: url.origin };
}
