export { cli } from "./cli";
export { linkTo, waitForMail } from "./mail";
export { test, expect } from "./fixtures";
export { AccountPage, MESSAGES, SignInPage, SignUpPage, alerts } from "./pages";
export { createUser, disableUser, strongPassword, uniqueEmail, type TestUser } from "./users";
