/** Output names, spelled once (action.yml lists the same; a test keeps them equal). */
export const OUTPUT = {
  wheel: 'wheel',
  confArchive: 'conf-archive',
  plan: 'plan',
  groups: 'groups',
} as const;
export type OutputName = (typeof OUTPUT)[keyof typeof OUTPUT];
