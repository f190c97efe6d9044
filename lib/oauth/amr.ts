// How a user authenticated: RFC 8176 Authentication Method Reference values (the ID token's
// `amr`, OIDC Core §2) and the Authentication Context Class Reference derived from them (`acr`).
//
// What each way in records (the session's amr; lib/db/sessions.ts):
//   password                          pwd
//   password + TOTP code              pwd otp mfa
//   password + recovery code          pwd otp mfa   (a one-time code; RFC 8176 has no closer value)
//   password + passkey (2nd factor)   pwd hwk mfa
//   passkey with user verification    hwk user mfa  (NIST SP 800-63B §5.1.9: a multi-factor
//                                                    cryptographic authenticator)
//
// acr values, weakest to strongest (a request for one is met by it or any stronger one):
//   urn:latchkey:acr:single-factor                                one factor (a password)
//   http://schemas.openid.net/pape/policies/2007/06/multi-factor   two factors (the value Auth0
//                                                                  and others accept in acr_values)
//   phr                                                           phishing-resistant (OpenID EAP
//                                                                  ACR Values 1.0 §2): a passkey
export const AMR = { pwd: "pwd", otp: "otp", hwk: "hwk", user: "user", mfa: "mfa" } as const;

export const ACR = {
  singleFactor: "urn:latchkey:acr:single-factor",
  mfa: "http://schemas.openid.net/pape/policies/2007/06/multi-factor",
  phishingResistant: "phr",
} as const;

/** Advertised in discovery (`acr_values_supported`), weakest first. */
export const ACR_VALUES: readonly string[] = [ACR.singleFactor, ACR.mfa, ACR.phishingResistant];

/** The acr a session with this amr has reached. */
export function acrFor(amr: readonly string[]): string {
  if (!amr.includes(AMR.mfa)) return ACR.singleFactor;
  return amr.includes(AMR.hwk) ? ACR.phishingResistant : ACR.mfa;
}

/**
 * Whether a session with this amr meets a request's `acr_values` (OIDC Core §3.1.2.1: the values
 * in order of preference; any one of them will do). Values this server does not know are ignored;
 * none known, or none asked: met.
 */
export function meetsAcrValues(amr: readonly string[], acrValues: readonly string[]): boolean {
  const asked = acrValues.map((v) => ACR_VALUES.indexOf(v)).filter((i) => i >= 0);
  if (asked.length === 0) return true;
  const reached = ACR_VALUES.indexOf(acrFor(amr));
  return asked.some((i) => reached >= i);
}

/** The amr of a session as stored (space-separated), as a list. */
export const parseAmr = (stored: string | null | undefined): string[] => (stored ? stored.split(" ").filter(Boolean) : []);
