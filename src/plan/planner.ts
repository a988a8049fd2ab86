/**
 * plan.json → the deployment plan: groups in dependency order, their reduced dependencies, their
 * AWS names and their merged settings. Everything the effects need to create resources, decided
 * here without any I/O.
 *
 * All problems with the input (stage, dependency graph, settings) are collected and thrown together
 * as one {@link PlanningError}.
 */
import { PlanningError } from './errors';
import {
  buildGraph,
  cycleProblem,
  dependencyLevels,
  dependencyProblems,
  findCycle,
  topologicalOrder,
  transitiveReduction,
} from './graph';
import { awsName, awsNameSet, cleanStage, sagemakerJobPrefix } from './names';
import { sagemakerPlanProblems } from './sagemaker';
import type { Plan } from './schema';
import {
  GROUP_SETTINGS_INPUT_LABEL,
  type GroupSettings,
  type ResolvedSettings,
  resolveSettings,
  settingsFileLabel,
} from './settings';

export { PlanningError } from './errors';

/** Options of {@link buildPlan}, from the action's inputs. */
export interface PlanOptions {
  /** Project name used in resource names; defaults to the plan's package name. */
  readonly project?: string;
  /** The `stage` input (`dev`, `nightly`, `pr-123`); cleaned with {@link cleanStage}. */
  readonly stage: string;
  /** The `group-settings` input, already parsed to an object (undefined when not given). */
  readonly groupSettings?: unknown;
}

/** AWS names of one group's resources. */
export interface GroupResourceNames {
  /** Lambda function name (≤ 64): `<project>-<stage>-<group>`. */
  readonly lambdaFunction: string;
  /** Step Functions state name (≤ 80): `<group>`, unique in the state machine. */
  readonly state: string;
  /** Batch job name (≤ 128): `<project>-<stage>-<group>`. */
  readonly batchJob: string;
  /** Batch job definition name (≤ 128): `<project>-<stage>-<group>`, one per group. */
  readonly jobDefinition: string;
  /**
   * SageMaker groups: the fixed part (≤ 26) of the group's training job names, `<project>-<stage>-<group>`
   * in `[a-z0-9-]`; each run adds its own suffix (names.ts). Empty for the other groups.
   */
  readonly sagemakerJob: string;
}

/** One group, ready to deploy. */
export interface PlannedGroup {
  /** The Kedro group name (top-level namespace, or node name). */
  readonly name: string;
  readonly type: 'namespace' | 'nodes';
  /** Kedro node names of the group. */
  readonly nodes: readonly string[];
  /** Direct dependencies as Kedro reports them (deduplicated, sorted). */
  readonly dependencies: readonly string[];
  /** Dependencies left after transitive reduction (sorted): the edges worth waiting on. */
  readonly reducedDependencies: readonly string[];
  /** Dependency level (0 = no dependencies). */
  readonly level: number;
  readonly names: GroupResourceNames;
  readonly settings: GroupSettings;
  /** Where each setting came from, for messages and the job summary. */
  readonly settingOrigins: ResolvedSettings['origins'];
}

/** The whole deployment, as decided from plan.json and the inputs. */
export interface DeploymentPlan {
  /** Project name as given (or the package name), before cleaning. */
  readonly project: string;
  /** The cleaned stage. */
  readonly stage: string;
  /** Kedro conf environment the plan was exported for. */
  readonly env: string;
  /** Kedro pipeline name. */
  readonly pipeline: string;
  /** Names of the resources shared by all groups. */
  readonly names: {
    /** State machine name (≤ 80): `<project>-<stage>`. */
    readonly stateMachine: string;
  };
  /** Groups in topological order (ties broken by name). */
  readonly groups: readonly PlannedGroup[];
  /** Group names by dependency level, each level sorted by name. */
  readonly levels: readonly (readonly string[])[];
}

/**
 * Decide the deployment for a validated plan.
 *
 * @throws PlanningError listing every problem: a stage with no letters or digits, a dependency on a
 *   missing group, a cycle, bad or out-of-limit settings, a settings entry for an unknown group.
 */
export function buildPlan(plan: Plan, options: PlanOptions): DeploymentPlan {
  const problems: string[] = [];

  let stage = '';
  try {
    stage = cleanStage(options.stage);
  } catch (error) {
    if (!(error instanceof PlanningError)) throw error;
    problems.push(...error.problems);
  }

  const graphProblems = dependencyProblems(plan.groups);
  problems.push(...graphProblems);
  const graph = graphProblems.length === 0 ? buildGraph(plan.groups) : null;
  const cycle = graph ? findCycle(graph) : null;
  if (cycle) problems.push(cycleProblem(cycle));

  const groupNames = plan.groups.map((g) => g.name);
  const settings = resolveSettings(
    groupNames,
    { value: plan.settings, label: settingsFileLabel(plan.env) },
    options.groupSettings === undefined
      ? undefined
      : { value: options.groupSettings, label: GROUP_SETTINGS_INPUT_LABEL },
  );
  if (!settings.ok) problems.push(...settings.problems);

  if (problems.length > 0 || !graph || !settings.ok) throw new PlanningError(problems);

  const project = options.project?.trim() || plan.project.package_name;
  const prefix = [project, stage];
  const lambdaNames = awsNameSet('lambda', prefix, groupNames);
  const stateNames = awsNameSet('state', [], groupNames);
  const jobNames = awsNameSet('batchJob', prefix, groupNames);
  const jobDefinitionNames = awsNameSet('jobDefinition', prefix, groupNames);

  // SageMaker job names must start with the whole project name (the IAM policies match it).
  const sagemakerPrefixes = new Map<string, string>();
  for (const name of groupNames) {
    if (settings.groups.get(name)?.settings.compute === 'sagemaker') {
      sagemakerPrefixes.set(name, sagemakerJobPrefix(project, stage, name));
    }
  }

  const order = topologicalOrder(graph);
  const levels = dependencyLevels(graph);
  const levelOf = new Map<string, number>(levels.flatMap((names, k) => names.map((n) => [n, k] as const)));
  const reduced = transitiveReduction(graph);
  const byName = new Map(plan.groups.map((g) => [g.name, g]));

  const groups = order.map((name): PlannedGroup => {
    const group = byName.get(name);
    const resolved = settings.groups.get(name);
    if (!group || !resolved) throw new Error(`internal: group ${name} lost during planning`);
    return {
      name,
      type: group.type,
      nodes: [...group.nodes],
      dependencies: [...(graph.dependencies.get(name) ?? [])],
      reducedDependencies: reduced.get(name) ?? [],
      level: levelOf.get(name) ?? 0,
      names: {
        lambdaFunction: lambdaNames.get(name) ?? '',
        state: stateNames.get(name) ?? '',
        batchJob: jobNames.get(name) ?? '',
        jobDefinition: jobDefinitionNames.get(name) ?? '',
        sagemakerJob: sagemakerPrefixes.get(name) ?? '',
      },
      settings: resolved.settings,
      settingOrigins: resolved.origins,
    };
  });

  const sagemakerProblems = sagemakerPlanProblems(plan, groups);
  if (sagemakerProblems.length > 0) throw new PlanningError(sagemakerProblems);

  return {
    project,
    stage,
    env: plan.env,
    pipeline: plan.pipeline,
    names: { stateMachine: awsName('stateMachine', prefix) },
    groups,
    levels,
  };
}
