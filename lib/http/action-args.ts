// A server action is a public endpoint, and its arguments come from whoever posts to it: Next
// decodes them from the request body, so a crafted request can hand any serializable value where
// a form's FormData is expected. Actions check the shape before they read it, and answer a
// plain error instead of crashing into a 500 on `form.get is not a function`.
export function formDataOrNull(value: unknown): FormData | null {
  return value instanceof FormData ? value : null;
}
