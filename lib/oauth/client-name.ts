// What a client may call itself. The name is shown to end users on the consent screen, so:
//  - no control characters, no bidirectional controls (an override can make "ppa.evil" read as
//    "live.app") and no invisible characters (zero-width joiners split a word a check looks for);
//  - no name that imitates this server itself (its product name, its host name, or "official …
//    verification/security …" claims), compared after folding case, compatibility forms (NFKC),
//    diacritics and the usual look-alike letters and digits. Only an admin may register such a
//    name (a client the server's operator runs itself).
// One check, used by the dashboard, dynamic registration (RFC 7591 §2 client_name) and the CLI.
import { hasControlChars } from "./text";

/** Bidirectional formatting characters (Unicode UAX #9) and invisible ones. */
const BIDI_OR_INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u180e]/;

/** The product's own name: a client may not call itself this. */
export const PORTAL_NAME = "Latchkey";

// Look-alikes of Latin letters: Cyrillic and Greek letters, digits and signs. Not the full
// Unicode confusables table: the common substitutions, "within reason".
const CONFUSABLES: Record<string, string> = {
  "0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "|": "l", "!": "i",
  а: "a", в: "b", е: "e", ё: "e", к: "k", м: "m", н: "h", о: "o", р: "p", с: "c", т: "t", у: "y", х: "x",
  і: "i", ї: "i", ј: "j", ԛ: "q", ѕ: "s", ԁ: "d", ɡ: "g", һ: "h", ӏ: "l", ɩ: "i", ı: "i",
  α: "a", β: "b", ε: "e", η: "n", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x", ϲ: "c",
};

/**
 * The name folded for comparison: NFKC (full-width and styled letters become plain), lower case,
 * diacritics dropped, look-alikes mapped to the Latin letter they imitate, and everything that is
 * not a letter or digit removed ("L a t-c.h_k e y" -> "latchkey").
 */
export function foldForComparison(s: string): string {
  const base = s.normalize("NFKC").toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  let out = "";
  for (const ch of base) out += CONFUSABLES[ch] ?? ch;
  return out.replace(/[^a-z0-9]/g, "");
}

/** The same folding, keeping word boundaries (for phrases like "official … verification"). */
function foldWords(s: string): string {
  const base = s.normalize("NFKC").toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  let out = "";
  for (const ch of base) out += CONFUSABLES[ch] ?? ch;
  return out.replace(/[^a-z0-9]+/g, " ").trim();
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Host names that stand for this server: the issuer's host (not a loopback one), folded. */
function issuerHostKeys(issuer: string | undefined): string[] {
  if (!issuer) return [];
  let host: string;
  try {
    host = new URL(issuer).hostname.replace(/\.$/, "");
  } catch {
    return [];
  }
  if (LOOPBACK_HOSTS.has(host)) return [];
  const keys = [foldForComparison(host)];
  if (host.startsWith("www.")) keys.push(foldForComparison(host.slice(4)));
  return keys.filter((k) => k.length >= 4);
}

// Claims of official standing that only the server's operator can make.
const OFFICIAL = /\b(official|officially|authorized|authorised|verified)\b/;
const SERVICE = /\b(verification|verify|security|secure|support|admin|administrator|account|accounts|login|signin|sign in|authentication|identity|team|service|helpdesk)\b/;

export interface ClientNameRules {
  /** This server's ISSUER: a name containing its host name imitates it. */
  issuer?: string;
  /** An admin registers the client: a name that imitates the server is allowed. */
  trusted?: boolean;
}

/** Why `name` may not be a client's name, in plain words; null when it may. */
export function clientNameProblem(name: string, rules: ClientNameRules = {}): string | null {
  if (hasControlChars(name)) return "Name must not contain control characters";
  if (BIDI_OR_INVISIBLE.test(name)) return "Name must not contain invisible or text-direction characters";
  if (rules.trusted) return null;
  const folded = foldForComparison(name);
  if (folded.includes(foldForComparison(PORTAL_NAME))) {
    return `Name must not contain “${PORTAL_NAME}” (or look like it): users would take the app for this server itself. An admin can register such a client.`;
  }
  if (issuerHostKeys(rules.issuer).some((k) => folded.includes(k))) {
    return "Name must not contain this server's host name: users would take the app for this server itself. An admin can register such a client.";
  }
  const words = foldWords(name);
  if (OFFICIAL.test(words) && SERVICE.test(words)) {
    return "Name must not claim to be an official, verified or security service: only this server's administrators can say so. An admin can register such a client.";
  }
  return null;
}
