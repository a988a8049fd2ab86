/**
 * `stage: auto`: the stage a workflow run deploys to, from its event. Pure: the event's name, payload and
 * ref name in, a stage name out (cleaned to AWS rules by the caller).
 */
export interface EventFacts {
  eventName: string | undefined;
  payload: unknown;
  refName: string | undefined;
}

export const AUTO_STAGE = 'auto';
/** Outside GitHub Actions (no event): a stage of one's own. */
export const LOCAL_STAGE = 'dev';

export function autoStage(event: EventFacts): string {
  const payload = (event.payload ?? {}) as { pull_request?: { number?: number }; number?: number };
  switch (event.eventName) {
    case 'pull_request':
    case 'pull_request_target': {
      const number = payload.pull_request?.number ?? payload.number;
      if (number !== undefined) return `pr-${number}`;
      break;
    }
    case 'schedule':
      return 'nightly';
    case undefined:
      return LOCAL_STAGE;
    default:
      break;
  }
  // push, workflow_dispatch, ...: the branch (or tag) the run is on.
  return event.refName || LOCAL_STAGE;
}
