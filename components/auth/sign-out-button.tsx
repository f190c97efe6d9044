// The Sign out button: a plain form posting to the sign-out server action (works without JS).
import { Button } from "@/components/ui";
import { signOutAction } from "@/app/actions/sign-out";

export function SignOutButton() {
  return (
    <form action={signOutAction}>
      <Button type="submit" variant="secondary" size="sm">
        Sign out
      </Button>
    </form>
  );
}
