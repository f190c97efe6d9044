// A refusal the admin console shows to the admin as is (e.g. "you cannot disable yourself").
export class AdminRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AdminRefusal";
  }
}

/** Who performs an admin change (recorded in the audit event). */
export interface Actor {
  id: string;
  ip?: string | null;
}
