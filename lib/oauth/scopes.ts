// The scopes this server knows, with the plain words the consent screen shows.
export const SCOPES = {
  openid: "Sign you in with your Latchkey account",
  profile: "See your name",
  email: "See your email address and whether it is verified",
  offline_access: "Stay connected when you are not using the app (refresh tokens)",
} as const;

export type Scope = keyof typeof SCOPES;
export const KNOWN_SCOPES = Object.keys(SCOPES) as Scope[];

export function isKnownScope(s: string): s is Scope {
  return Object.hasOwn(SCOPES, s);
}

/** RFC 6749 §3.3: scope is a space-delimited list of case-sensitive tokens. */
export function parseScope(value: string | null | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(" ").filter(Boolean))];
}
