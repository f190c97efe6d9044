// People's names as the portal shows them (to admins, on consent screens, in the audit log):
// no control characters and no invisible formatting that can reorder or hide text.
//   - C0/C1 controls and DEL (\p{Cc}); line and paragraph separators (\p{Zl}, \p{Zp});
//   - format characters (\p{Cf}): the bidirectional overrides, embeddings and isolates
//     (U+202A–U+202E, U+2066–U+2069) that make "Ada\u202Eelgoog" display as "Adagoogle"
//     (Unicode TR #36 §2.1, "Bidirectional Text Spoofing"; CVE-2021-42574 "Trojan Source"),
//     the LRM/RLM/ALM marks, zero-width spaces, BOM, soft hyphen and tag characters.
// Zero-width joiner and non-joiner (U+200C, U+200D) stay allowed: Persian, Indic scripts and
// emoji sequences need them, and they cannot reorder text.
const FORBIDDEN = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

export const NAME_CHARACTERS_MESSAGE = "Use letters, spaces and punctuation only (no control or invisible formatting characters)";

/** Whether a name holds a character we refuse (see above). */
export function hasForbiddenNameCharacters(name: string): boolean {
  return FORBIDDEN.test(name);
}
