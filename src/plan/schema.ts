/**
 * The contract between the Python plan exporter (python/kedro_aws_action/export_plan.py)
 * and the TypeScript side: the shape of plan.json, validated when it is read.
 *
 * Pure: no I/O here. Field names are snake_case because Python writes them.
 */
import { z } from 'zod';

export const PLAN_SCHEMA_VERSION = 1;

export const GroupSchema = z.object({
  /** Group name as Kedro gives it: the top-level namespace, or the node name for a node without one. */
  name: z.string().min(1),
  type: z.enum(['namespace', 'nodes']),
  /** Kedro node names in this group (namespaced names, as `kedro run --nodes` takes them). */
  nodes: z.array(z.string()).min(1),
  /** Names of the groups this group depends on (from GroupedNodes.dependencies). */
  dependencies: z.array(z.string()),
  /** Datasets the group reads that no node of the same group produces. */
  inputs: z.array(z.string()),
  /** Datasets the group's nodes produce. */
  outputs: z.array(z.string()),
});
export type Group = z.infer<typeof GroupSchema>;

export const DatasetSchema = z.object({
  name: z.string().min(1),
  /** Fully qualified class as Kedro resolves it in the env, null when the catalog has no entry. */
  type: z.string().nullable(),
  /** Resolved `filepath` (or `path` for folder datasets) in the env, null when it has none. */
  filepath: z.string().nullable(),
  /** fsspec protocol of the filepath (`s3`, `file`, ...), null when there is no path. */
  protocol: z.string().nullable(),
  versioned: z.boolean(),
  /** False for MemoryDataset-like types and for datasets without a catalog entry. */
  persisted: z.boolean(),
  /** The group that produces it, null for a free input of the pipeline. */
  producer: z.string().nullable(),
  consumers: z.array(z.string()),
  /** Produced in one group and consumed in another. */
  crossing: z.boolean(),
});
export type Dataset = z.infer<typeof DatasetSchema>;

/** Where in the project something is (file relative to the project root), for annotations. */
export const LocationSchema = z.object({ file: z.string(), line: z.number().int().positive(), message: z.string() });

/**
 * A protocol of the catalog whose file system needs a package in the image (`s3` needs `s3fs`), as
 * fsspec says; `package` refuses a wheel whose requirements do not reach it (src/plan/filesystems.ts).
 */
export const FilesystemSchema = z.object({
  protocol: z.string(),
  /** The datasets on it. */
  datasets: z.array(z.string()),
  packages: z.array(
    z.object({
      /** Normalised distribution name (PEP 503). */
      name: z.string(),
      /** Requirements that bring it in as well: `dist` or `dist[extra]` (normalised), e.g. `fsspec[s3]`. */
      provided_by: z.array(z.string()),
    }),
  ),
  /** The catalog entry of one of its datasets. */
  locations: z.array(LocationSchema).optional(),
});
export type Filesystem = z.infer<typeof FilesystemSchema>;

export const PlanSchema = z.object({
  schema_version: z.literal(PLAN_SCHEMA_VERSION),
  project: z.object({
    name: z.string(),
    package_name: z.string(),
    kedro_version: z.string(),
    python_version: z.string(),
  }),
  pipeline: z.string(),
  env: z.string(),
  /** The runtime params every group of a run gets: Kedro's answer for the `runtime-params` input. */
  runtime_params: z.record(z.string(), z.unknown()),
  /** The `key=value` text they were parsed from (`kedro run --params`); null or absent for a JSON object. */
  runtime_params_text: z.string().nullish(),
  groups: z.array(GroupSchema).min(1),
  datasets: z.array(DatasetSchema),
  /** Contents of `kedro_aws` config (conf/base + conf/<env>, merged by Kedro's loader); {} when absent. */
  settings: z.record(z.string(), z.unknown()),
  /** Protocols whose file system needs a package (absent from plans of older versions: nothing checked). */
  filesystems: z.array(FilesystemSchema).optional(),
  warnings: z.array(z.string()),
});
export type Plan = z.infer<typeof PlanSchema>;

/** What the exporter writes instead of a plan when it refuses the project. */
export const PlanErrorSchema = z.object({
  schema_version: z.literal(PLAN_SCHEMA_VERSION),
  error: z.object({
    kind: z.enum([
      'not_a_kedro_project',
      'pipeline_not_found',
      'kedro_error',
      'memory_crossing',
      'missing_input',
      'cycle',
      'local_path',
    ]),
    message: z.string(),
    env: z.string().optional(),
    datasets: z.array(z.string()).optional(),
    groups: z.array(z.string()).optional(),
    /** Where in the project the problem is (file relative to the project root), for annotations. */
    locations: z.array(LocationSchema).optional(),
  }),
});
export type PlanError = z.infer<typeof PlanErrorSchema>;
