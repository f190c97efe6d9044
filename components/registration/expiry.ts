// How long a new initial access token lives: the choices the form offers and the action accepts.
export const EXPIRY_CHOICES = [
  { value: "1h", label: "1 hour" },
  { value: "24h", label: "24 hours" },
  { value: "7d", label: "7 days" },
  { value: "30d", label: "30 days" },
] as const;

export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]["value"];

export const DEFAULT_EXPIRY: ExpiryChoice = "24h";
