// The flow at a glance, as drawn in RFC 6749 §4.1 (Figure 3), steps lettered A to E.
const STEPS = [
  ["A", "Authorization request", "The browser is sent to /oauth/authorize with the client's parameters and a PKCE challenge."],
  ["B", "Sign-in and consent", "The user signs in at Latchkey and allows (or denies) the client."],
  ["C", "The code comes back", "Latchkey sends the browser back to the redirect URI with a code, the state and iss."],
  ["D", "Token request", "The client sends the code, the PKCE verifier and its credentials to /oauth/token."],
  ["E", "Token response", "Access, refresh and ID tokens come back; the client verifies them."],
] as const;

export function FlowOverview({ current }: { current: string }) {
  return (
    <ol aria-label="The authorization code flow" className="grid gap-2 sm:grid-cols-5">
      {STEPS.map(([letter, title, text]) => (
        <li
          key={letter}
          aria-current={letter === current ? "step" : undefined}
          className={`rounded-lg border px-3 py-2 text-xs sm:p-3 ${letter === current ? "border-brand-300 bg-brand-50" : "border-neutral-200 bg-white"}`}
        >
          <p className="font-semibold text-neutral-900">
            ({letter}) {title}
          </p>
          <p className="mt-1 hidden text-neutral-600 sm:block">{text}</p>
        </li>
      ))}
    </ol>
  );
}
