// Check (7a): prompt (OIDC Core §3.1.2.1): a space-delimited list of none, login, consent.
// select_account and unknown values are refused: we have no account chooser, and silently
// ignoring a value the client relies on would be worse. `none` must stand alone.
import { InvalidRequest } from "../errors";
import type { AuthorizationParams } from "../types";
import { nameable, single, type RawParams } from "./params";

type Prompt = AuthorizationParams["prompt"][number];
const PROMPTS: readonly string[] = ["none", "login", "consent"] satisfies Prompt[];

const isPrompt = (v: string): v is Prompt => PROMPTS.includes(v);

export function checkPrompt(raw: RawParams): Prompt[] {
  const requested = [...new Set((single(raw, "prompt") ?? "").split(" ").filter(Boolean))];
  const prompts: Prompt[] = [];
  for (const v of requested) {
    if (!isPrompt(v)) {
      const shown = nameable(v);
      throw new InvalidRequest(`Unsupported prompt value${shown ? ` ${shown}` : ""}; supported: none, login, consent`);
    }
    prompts.push(v);
  }
  if (prompts.includes("none") && prompts.length > 1) {
    throw new InvalidRequest("prompt=none cannot be combined with other values");
  }
  return prompts;
}
