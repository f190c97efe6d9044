// The Sign out button: a plain form posting to the sign-out server action (works without JS).
import { Button } from "@/components/ui";

/** `action` is the sign-out server action (app/actions/sign-out.ts), passed down by the page. */
export function SignOutButton({ action }: { action: () => Promise<void> }) {
  return (
    <form action={action}>
      <Button type="submit" variant="secondary" size="sm">
        Sign out
      </Button>
    </form>
  );
}
