/**
 * An error whose message a user can act on: it names the input, dataset, group or limit to fix.
 * The one top-level catch in main.ts prints its message as the step's failure; any other error is
 * reported the same way, with its stack at debug level.
 */
export class ActionError extends Error {
  constructor(
    message: string,
    /** Places in the repository to mark (a pull request's file view shows them inline). */
    readonly annotations: readonly SourceAnnotation[] = [],
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

export interface SourceAnnotation {
  /** Path relative to the workspace (the repository root on a runner). */
  file: string;
  line: number;
  message: string;
}
