// What the protocol endpoints take from the composition root (lib/runtime.ts).
export { anonymousWrites, data, oauthDeps } from "../runtime";
