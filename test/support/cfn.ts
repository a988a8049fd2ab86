/**
 * The bootstrap CloudFormation template (bootstrap/template.yml) for tests: read with CloudFormation's short
 * tags (`!Sub`, `!If`, ...) turned into their JSON forms, and a small evaluator of the intrinsic functions
 * the template uses, so its policies and properties can be read as CloudFormation would create them for a
 * given set of parameters, without any AWS (pure: no I/O besides reading the file).
 *
 * The evaluator knows Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Split, Fn::Select, Fn::If, Fn::Equals, Fn::Not,
 * Fn::And, Fn::Or, Condition and AWS::NoValue (dropped from objects and lists, as CloudFormation does). It
 * throws on anything else, so a template that starts using another function fails loudly here. Physical
 * names are made up the way CloudFormation makes them (`<stack>-<LogicalId>`, lowercased for buckets).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';

export const TEMPLATE_FILE = path.resolve(__dirname, '..', '..', 'bootstrap', 'template.yml');

/** Template values are arbitrary JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation template is any JSON; the model checks shapes as it reads.
export type Json = any;

const SHORT_TAGS = [
  'Ref',
  'Sub',
  'GetAtt',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'Condition',
  'FindInMap',
  'Base64',
  'GetAZs',
  'ImportValue',
];

function longForm(fn: string, value: Json): Json {
  if (fn === 'Ref') return { Ref: value };
  if (fn === 'Condition') return { Condition: value };
  if (fn === 'GetAtt' && typeof value === 'string') return { 'Fn::GetAtt': value.split('.') };
  return { [`Fn::${fn}`]: value };
}

const customTags: YAML.Tags = SHORT_TAGS.flatMap(
  (fn): YAML.Tags => [
    { tag: `!${fn}`, resolve: (value: string) => longForm(fn, value) } as YAML.ScalarTag,
    {
      tag: `!${fn}`,
      collection: 'seq',
      resolve: (seq: YAML.YAMLSeq) => longForm(fn, seq.toJSON()),
    } as unknown as YAML.CollectionTag,
    {
      tag: `!${fn}`,
      collection: 'map',
      resolve: (map: YAML.YAMLMap) => longForm(fn, map.toJSON()),
    } as unknown as YAML.CollectionTag,
  ],
);

/** The template as JSON (what `aws cloudformation deploy` sends after reading the YAML). */
export function loadTemplate(file: string = TEMPLATE_FILE): Json {
  return YAML.parse(fs.readFileSync(file, 'utf8'), { customTags });
}

export interface StackSettings {
  /** Parameters as CreateStack takes them (strings; lists comma-separated). Missing ones take the default. */
  parameters: Record<string, string>;
  accountId?: string;
  region?: string;
  partition?: string;
  stackName?: string;
}

export interface ResolvedResource {
  Type: string;
  Properties: Json;
  Metadata?: Json;
  /** What `Ref` gives. */
  ref: string;
  /** What `Fn::GetAtt` gives, by attribute. */
  attributes: Record<string, string>;
}

export interface ResolvedStack {
  parameters: Record<string, string | string[]>;
  conditions: Record<string, boolean>;
  /** The resources CloudFormation would create (those whose Condition holds), properties resolved. */
  resources: Record<string, ResolvedResource>;
  outputs: Record<string, string>;
}

const NO_VALUE = Symbol('AWS::NoValue');

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Made-up physical ids and attributes of a resource, as CloudFormation would give them. */
function physical(
  logicalId: string,
  type: string,
  props: Json,
  s: Required<Omit<StackSettings, 'parameters'>>,
): { ref: string; attributes: Record<string, string> } {
  const { partition: p, region: r, accountId: a, stackName } = s;
  const generated = `${stackName}-${logicalId}`;
  switch (type) {
    case 'AWS::IAM::Role': {
      const name = props?.RoleName ?? generated;
      return {
        ref: name,
        attributes: { Arn: `arn:${p}:iam::${a}:role/${name}`, RoleId: `AROA${logicalId.toUpperCase()}` },
      };
    }
    case 'AWS::IAM::ManagedPolicy': {
      const name = props?.ManagedPolicyName ?? generated;
      const arn = `arn:${p}:iam::${a}:policy/${name}`;
      return { ref: arn, attributes: { PolicyArn: arn } };
    }
    case 'AWS::IAM::OIDCProvider': {
      const arn = `arn:${p}:iam::${a}:oidc-provider/${String(props?.Url ?? '').replace(/^https:\/\//, '')}`;
      return { ref: arn, attributes: { Arn: arn } };
    }
    case 'AWS::IAM::InstanceProfile': {
      const name = props?.InstanceProfileName ?? generated;
      return { ref: name, attributes: { Arn: `arn:${p}:iam::${a}:instance-profile/${name}` } };
    }
    case 'AWS::S3::Bucket': {
      const name = props?.BucketName ?? generated.toLowerCase();
      return { ref: name, attributes: { Arn: `arn:${p}:s3:::${name}` } };
    }
    case 'AWS::ECR::Repository': {
      const name = props?.RepositoryName ?? generated.toLowerCase();
      return {
        ref: name,
        attributes: {
          Arn: `arn:${p}:ecr:${r}:${a}:repository/${name}`,
          RepositoryUri: `${a}.dkr.ecr.${r}.amazonaws.com/${name}`,
        },
      };
    }
    case 'AWS::Batch::ComputeEnvironment': {
      const arn = `arn:${p}:batch:${r}:${a}:compute-environment/${props?.ComputeEnvironmentName ?? generated}`;
      return { ref: arn, attributes: { ComputeEnvironmentArn: arn } };
    }
    case 'AWS::Batch::JobQueue': {
      const arn = `arn:${p}:batch:${r}:${a}:job-queue/${props?.JobQueueName ?? generated}`;
      return { ref: arn, attributes: { JobQueueArn: arn } };
    }
    default:
      return { ref: generated, attributes: {} };
  }
}

/** Evaluates the template for these parameters: what CloudFormation would create, and the outputs. */
export function resolveStack(template: Json, settings: StackSettings): ResolvedStack {
  const s = {
    accountId: settings.accountId ?? '123456789012',
    region: settings.region ?? 'us-east-1',
    partition: settings.partition ?? 'aws',
    stackName: settings.stackName ?? 'kedro-stack',
  };
  const paramDefs: Record<string, Json> = template.Parameters ?? {};
  for (const name of Object.keys(settings.parameters)) {
    if (!(name in paramDefs)) throw new Error(`unknown parameter ${name}`);
  }
  const parameters: Record<string, string | string[]> = {};
  for (const [name, def] of Object.entries(paramDefs)) {
    const raw = settings.parameters[name] ?? (def.Default === undefined ? undefined : String(def.Default));
    if (raw === undefined) throw new Error(`parameter ${name} has no value and no default`);
    if (def.AllowedValues && !def.AllowedValues.map(String).includes(raw)) {
      throw new Error(`parameter ${name}: ${raw} is not one of ${def.AllowedValues.join(', ')}`);
    }
    if (def.AllowedPattern && !new RegExp(def.AllowedPattern).test(raw)) {
      throw new Error(`parameter ${name}: ${raw} does not match ${def.AllowedPattern}`);
    }
    parameters[name] = def.Type === 'CommaDelimitedList' ? raw.split(',') : raw;
  }
  const pseudo: Record<string, Json> = {
    'AWS::AccountId': s.accountId,
    'AWS::Region': s.region,
    'AWS::Partition': s.partition,
    'AWS::StackName': s.stackName,
    'AWS::StackId': `arn:${s.partition}:cloudformation:${s.region}:${s.accountId}:stack/${s.stackName}/0b7d6a40-0000-4000-8000-000000000000`,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::NoValue': NO_VALUE,
  };

  const conditionDefs: Record<string, Json> = template.Conditions ?? {};
  const conditions: Record<string, boolean> = {};
  const condition = (name: string): boolean => {
    if (!(name in conditionDefs)) throw new Error(`unknown condition ${name}`);
    if (!(name in conditions)) conditions[name] = Boolean(evaluate(conditionDefs[name]));
    return conditions[name]!;
  };

  const resourceDefs: Record<string, Json> = template.Resources ?? {};
  const resources: Record<string, ResolvedResource> = {};
  const resolving = new Set<string>();
  const resource = (logicalId: string): ResolvedResource => {
    const def = resourceDefs[logicalId];
    if (!def) throw new Error(`unknown resource ${logicalId}`);
    if (def.Condition && !condition(def.Condition))
      throw new Error(`resource ${logicalId} is not created (condition ${def.Condition})`);
    if (resources[logicalId]) return resources[logicalId]!;
    if (resolving.has(logicalId)) throw new Error(`circular reference through ${logicalId}`);
    resolving.add(logicalId);
    const props = evaluate(def.Properties ?? {});
    const made = physical(logicalId, def.Type, props, s);
    resolving.delete(logicalId);
    return (resources[logicalId] = { Type: def.Type, Properties: props, Metadata: def.Metadata, ...made });
  };

  const ref = (name: string): Json => {
    if (name in pseudo) return pseudo[name];
    if (name in parameters) return parameters[name];
    return resource(name).ref;
  };
  const getAtt = (logicalId: string, attribute: string): string => {
    const value = resource(logicalId).attributes[attribute];
    if (value === undefined) throw new Error(`no attribute ${attribute} of ${logicalId}`);
    return value;
  };

  const sub = (text: string, vars: Record<string, Json>): string =>
    text.replace(/\$\{([^}]+)\}/g, (_whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (name in vars) return String(vars[name]);
      if (name.includes('.') && !name.startsWith('AWS::')) {
        const [id, ...attr] = name.split('.');
        return getAtt(id!, attr.join('.'));
      }
      const value = ref(name);
      if (Array.isArray(value)) throw new Error(`\${${name}} is a list inside Fn::Sub`);
      return String(value);
    });

  function evaluate(node: Json): Json {
    if (Array.isArray(node)) return node.map(evaluate).filter((v) => v !== NO_VALUE);
    if (!isObject(node)) return node;
    const keys = Object.keys(node);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const arg = node[key];
      switch (key) {
        case 'Ref':
          return ref(arg);
        case 'Condition':
          return condition(arg);
        case 'Fn::GetAtt':
          return getAtt(arg[0], arg[1]);
        case 'Fn::Sub': {
          if (typeof arg === 'string') return sub(arg, {});
          const vars = Object.fromEntries(Object.entries(arg[1] ?? {}).map(([k, v]) => [k, evaluate(v)]));
          return sub(arg[0], vars);
        }
        case 'Fn::Join': {
          if (typeof arg[0] !== 'string') throw new Error('Fn::Join delimiter must be a literal string');
          const list = evaluate(arg[1]);
          if (!Array.isArray(list)) throw new Error('Fn::Join of a non-list');
          return list.join(arg[0]);
        }
        case 'Fn::Split':
          return String(evaluate(arg[1])).split(arg[0]);
        case 'Fn::Select': {
          const list = evaluate(arg[1]);
          const index = Number(evaluate(arg[0]));
          if (!Array.isArray(list) || index >= list.length) throw new Error(`Fn::Select index ${index} out of range`);
          return list[index];
        }
        case 'Fn::If':
          return condition(arg[0]) ? evaluate(arg[1]) : evaluate(arg[2]);
        case 'Fn::Equals':
          return String(evaluate(arg[0])) === String(evaluate(arg[1]));
        case 'Fn::Not':
          return !evaluate(arg[0]);
        case 'Fn::And':
          return arg.every((c: Json) => Boolean(evaluate(c)));
        case 'Fn::Or':
          return arg.some((c: Json) => Boolean(evaluate(c)));
        default:
          if (key.startsWith('Fn::'))
            throw new Error(`intrinsic function ${key} is not supported by test/support/cfn.ts`);
      }
    }
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(node)) {
      const value = evaluate(v);
      if (value !== NO_VALUE) out[k] = value;
    }
    return out;
  }

  for (const name of Object.keys(conditionDefs)) condition(name);
  for (const [logicalId, def] of Object.entries(resourceDefs)) {
    if (!def.Condition || condition(def.Condition)) resource(logicalId);
  }
  const outputs: Record<string, string> = {};
  for (const [name, def] of Object.entries(template.Outputs ?? {}) as [string, Json][]) {
    if (def.Condition && !condition(def.Condition)) continue;
    outputs[name] = evaluate(def.Value);
  }
  return { parameters, conditions, resources, outputs };
}

/** The policy documents attached to a role: its inline policies and the managed policies naming it. */
export function rolePolicies(stack: ResolvedStack, roleLogicalId: string): { name: string; document: Json }[] {
  const role = stack.resources[roleLogicalId];
  if (!role) throw new Error(`role ${roleLogicalId} is not created`);
  const inline = (role.Properties.Policies ?? []).map((p: Json) => ({
    name: p.PolicyName,
    document: p.PolicyDocument,
  }));
  const managed = Object.entries(stack.resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && (r.Properties.Roles ?? []).includes(role.ref))
    .map(([id, r]) => ({ name: id, document: r.Properties.PolicyDocument }));
  return [...inline, ...managed];
}
