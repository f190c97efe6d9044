// next-auth hands the message of anything thrown during a credentials sign-in to the browser, in
// the redirect URL (`/signin?error=<message>`): a database error's text (Prisma's, with the
// PostgreSQL detail) went out that way. Every step of the sign-in that can fail unexpectedly
// runs through this: the detail is logged here, the browser gets the code "unavailable".
export const SIGN_IN_UNAVAILABLE = "unavailable";

export async function orUnavailable<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    console.error("Sign-in failed unexpectedly:", err instanceof Error ? err.stack : err);
    throw new Error(SIGN_IN_UNAVAILABLE);
  }
}
