export { cli, CliError } from "./cli";
export { test, expect } from "./fixtures";
export { AccountPage, MESSAGES, SignInPage, SignUpPage, alerts } from "./pages";
export { createUser, disableUser, strongPassword, uniqueEmail, type Role, type TestUser } from "./users";
