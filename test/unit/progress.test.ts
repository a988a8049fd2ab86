import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { HistoryReader } from '../../src/report/progress';

const groups = new Map([
  ['data_processing', 'data_processing'],
  ['a-b-9fa22379', 'a.b'],
]);

let id = 0;
function ev(type: string, previousEventId: number, extra: Partial<HistoryEvent> = {}): HistoryEvent {
  return {
    id: ++id,
    previousEventId,
    type,
    timestamp: new Date(1_700_000_000_000 + id * 1000),
    ...extra,
  } as HistoryEvent;
}

describe('reading an execution history as group progress', () => {
  beforeEach(() => {
    id = 0;
  });

  test('a group starts on TaskStateEntered and ends on TaskStateExited, by its state name', () => {
    const reader = new HistoryReader(groups);
    const entered = ev('TaskStateEntered', 0, { stateEnteredEventDetails: { name: 'a-b-9fa22379' } });
    const scheduled = ev('TaskScheduled', entered.id!);
    const exited = ev('TaskStateExited', scheduled.id!, { stateExitedEventDetails: { name: 'a-b-9fa22379' } });
    const transitions = reader.read([entered, scheduled, exited]);
    expect(transitions.map((t) => [t.group, t.status])).toEqual([
      ['a.b', 'RUNNING'],
      ['a.b', 'SUCCEEDED'],
    ]);
    expect(reader.lastEventId).toBe(exited.id);
  });

  test('a task failure is traced back through the chain of events to its group', () => {
    const reader = new HistoryReader(groups);
    const entered = ev('TaskStateEntered', 0, { stateEnteredEventDetails: { name: 'data_processing' } });
    const scheduled = ev('TaskScheduled', entered.id!);
    const started = ev('TaskStarted', scheduled.id!);
    const failed = ev('TaskFailed', started.id!, {
      taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'ValueError', cause: 'bad row' },
    });
    const execFailed = ev('ExecutionFailed', failed.id!, {
      executionFailedEventDetails: { error: 'ValueError', cause: 'bad row' },
    });
    const first = reader.read([entered, scheduled]);
    const rest = reader.read([started, failed, execFailed]);
    expect(first.map((t) => t.status)).toEqual(['RUNNING']);
    expect(rest).toEqual([
      expect.objectContaining({ group: 'data_processing', status: 'FAILED', error: 'ValueError' }),
    ]);
    expect(reader.failureSeen).toEqual({ group: 'data_processing', error: 'ValueError', cause: 'bad row' });
  });

  test('a state that fails before its task runs is still put on its group', () => {
    const reader = new HistoryReader(groups);
    const entered = ev('TaskStateEntered', 0, { stateEnteredEventDetails: { name: 'data_processing' } });
    const failed = ev('ExecutionFailed', entered.id!, {
      executionFailedEventDetails: { error: 'States.Runtime', cause: "The JSONPath '$.run_id' could not be found" },
    });
    reader.read([entered, failed]);
    expect(reader.failureSeen).toMatchObject({ group: 'data_processing', error: 'States.Runtime' });
  });

  test('a failure outside any group keeps the execution error', () => {
    const reader = new HistoryReader(groups);
    reader.read([ev('ExecutionTimedOut', 0, { executionTimedOutEventDetails: { error: 'States.Timeout' } })]);
    expect(reader.failureSeen).toEqual({ group: undefined, error: 'States.Timeout', cause: '' });
  });
});
