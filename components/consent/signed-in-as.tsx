// "Signed in as …  Not you? Sign out": signing out is a POST (a link could be forged cross-site).

/** `signOutAction` is the sign-out server action (app/actions/sign-out.ts), passed down by the page. */
export function SignedInAs({ email, signOutAction }: { email: string; signOutAction: () => Promise<void> }) {
  return (
    <form action={signOutAction} className="flex flex-wrap items-center justify-center gap-x-1 text-sm text-neutral-600">
      <span>
        Signed in as <span className="break-all font-medium text-neutral-900">{email}</span>.
      </span>
      <span>
        Not you?{" "}
        <button type="submit" className="font-medium text-brand-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600">
          Sign out
        </button>
      </span>
    </form>
  );
}
