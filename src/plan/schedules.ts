/**
 * How the groups of a state machine are ordered (statemachine.ts): `exact` starts every group when its
 * last dependency ends (the series-parallel parts nested, callback gates where the graph is not
 * series-parallel), `dag` follows the group graph with nesting only (a few extra waits where it is not
 * series-parallel), `levels` waits for every group of the level before. `auto` (the default) is `exact`,
 * or `dag` where an `exact` definition cannot be made (it says why). The `schedule` input accepts these
 * (src/inputs/table.ts, which the post step bundles: this file stays tiny).
 */
export const SCHEDULES = ['auto', 'exact', 'dag', 'levels'] as const;
/** What the `schedule` input accepts. */
export type ScheduleChoice = (typeof SCHEDULES)[number];
/** The shapes a definition can have (what `auto` resolves to is one of them). */
export type ScheduleKind = Exclude<ScheduleChoice, 'auto'>;
