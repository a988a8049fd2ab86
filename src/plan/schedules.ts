/**
 * How the groups of a state machine are ordered (statemachine.ts): `dag` follows the group graph
 * (series-parallel decomposition), `levels` waits for every group of the level before. The `schedule`
 * input accepts these (src/inputs/table.ts, which the post step bundles: this file stays tiny).
 */
export const SCHEDULES = ['dag', 'levels'] as const;
export type ScheduleKind = (typeof SCHEDULES)[number];
