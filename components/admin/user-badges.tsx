import { Badge } from "./badge";

export function UserBadges({ user }: { user: { role: string; disabled: boolean; mustResetPassword: boolean } }) {
  return (
    <>
      <Badge tone={user.role === "admin" ? "brand" : "neutral"}>{user.role}</Badge>
      {user.disabled ? <Badge tone="red">disabled</Badge> : null}
      {user.mustResetPassword ? <Badge tone="amber">must reset password</Badge> : null}
    </>
  );
}
