// response_mode=form_post with JavaScript off ("chromium-nojs" project): the page that carries the
// response shows a Continue button that posts it, both after the consent screen (the consent
// action's answer) and from the authorization endpoint itself (consent remembered).
import { expect, test } from "./support";
import { FormPostCallback } from "./support/form-post";
import { ConsentPage, RelyingParty, registerClient, signInForAuthorization } from "./support/oauth";

test("form_post without JavaScript: Continue posts code, state and iss to the client", async ({ page, user }) => {
  const callback = await FormPostCallback.start();
  try {
    const rp = await RelyingParty.discover(await registerClient("confidential", callback.redirectUri));
    const continueButton = page.getByRole("button", { name: "Continue", exact: true });

    const first = await rp.authorizationRequest({ response_mode: "form_post" });
    await page.goto(first.url.href);
    await signInForAuthorization(page, user);
    await new ConsentPage(page).allow.click();
    await expect(continueButton).toBeVisible();
    expect(callback.posts).toHaveLength(0); // nothing is submitted without a click
    await continueButton.click();
    const fields = await callback.received(1);
    expect([fields.get("state"), fields.get("iss")]).toEqual([first.state, rp.server.issuer]);
    expect(fields.get("code") ?? "").not.toBe("");
    await expect(page).toHaveURL(`${callback.origin}/signed-in`);

    const second = await rp.authorizationRequest({ response_mode: "form_post" });
    await page.goto(second.url.href);
    await expect(continueButton).toBeVisible();
    await continueButton.click();
    expect((await callback.received(2)).get("state")).toBe(second.state);
    await expect(page).toHaveURL(`${callback.origin}/signed-in`);
  } finally {
    await callback.close();
  }
});
