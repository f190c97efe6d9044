// OAuth 2.0 Form Post Response Mode §2: the authorization response as an HTML page whose form the
// browser posts to the client's redirect URI (application/x-www-form-urlencoded), so that the
// code or ID token never appears in a URL (logs, history, Referer). A constant inline script
// submits it at once; with JavaScript off the user presses Continue. §5: never cached.
import { createHash } from "node:crypto";
import { escapeHtml, HTML_PAGE_CSP, htmlDocument } from "./html-page";
import type { PlainResponse } from "./endpoint";
import { NO_STORE } from "./oauth-response";
import { formPostOf, type AuthorizationResponse } from "../oauth/authorization-response";

const AUTO_SUBMIT = "document.forms[0].submit()";
const AUTO_SUBMIT_HASH = `'sha256-${createHash("sha256").update(AUTO_SUBMIT).digest("base64")}'`;

/** A CSP source-expression path: RFC 3986 path characters except those CSP gives a meaning (";", ","). */
const CSP_SAFE_PATH = /^[A-Za-z0-9\-._~!$&'()*+=:@%/]*$/;

/**
 * Where the page's form may post (CSP3 form-action): the redirect URI's origin. Not the full
 * URI: browsers apply form-action to the redirects that follow the submission too, and a
 * relying party's callback usually redirects within its own site once it has the response.
 * A scheme of a native app (com.example.app:/cb) is allowed as a scheme-source.
 */
export function formActionSource(redirectUri: string): string {
  try {
    const url = new URL(redirectUri);
    if (url.protocol === "https:" || url.protocol === "http:") return CSP_SAFE_PATH.test(url.host) ? url.origin : "'none'";
    return /^[a-z][a-z0-9+.-]*:$/i.test(url.protocol) ? url.protocol : "'none'";
  } catch {
    return "'none'";
  }
}

/** Where the response goes, for people: the host, or the scheme of an app. */
function destination(redirectUri: string): string {
  try {
    const url = new URL(redirectUri);
    return url.host || url.protocol.replace(/:$/, "");
  } catch {
    return redirectUri;
  }
}

export function formPostPage(response: AuthorizationResponse): PlainResponse {
  const { action, fields } = formPostOf(response);
  const inputs = fields.map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join("\n");
  const body = `<p>Taking you back to <strong>${escapeHtml(destination(action))}</strong>…</p>
<form method="post" action="${escapeHtml(action)}">
${inputs}
<div class="actions"><button type="submit">Continue</button></div>
</form>
<script>${AUTO_SUBMIT}</script>`;
  return {
    status: 200,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      ...NO_STORE,
      "X-Frame-Options": "DENY",
      "Content-Security-Policy": `${HTML_PAGE_CSP}; script-src ${AUTO_SUBMIT_HASH}; form-action ${formActionSource(action)}`,
    },
    body: htmlDocument("Continue to the app", body),
  };
}
