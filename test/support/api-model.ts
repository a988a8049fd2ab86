/**
 * A request checked against the AWS API model itself (botocore's service model in the .venv): every
 * constraint the model declares (required members, unknown members, types, string and list and map
 * lengths, enums, patterns, number ranges), which the emulator does not enforce. moto stores a
 * CreateTrainingJob whatever its name's length or its argument sizes, and boto3 checks only types,
 * required members and minimums; SageMaker refuses the rest with a ValidationException. Source of the
 * rules: the SageMaker API reference, which is generated from this same model.
 *
 * Patterns with Unicode classes (`\p{L}`, `\p{Z}`, `\p{N}`, which Python's `re` lacks) are read as their
 * ASCII part (letters, space, digits): stricter than AWS for non-ASCII text, exact for ASCII.
 */
import { spawnSync } from 'node:child_process';
import { PYTHON } from './moto';

const SCRIPT = String.raw`
import json, re, sys, botocore.session
service, operation, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
op = botocore.session.get_session().get_service_model(service).operation_model(operation)
problems = []

def pattern_of(p):
    return p.replace(r"\p{L}", "A-Za-z").replace(r"\p{Z}", " ").replace(r"\p{N}", "0-9")

def length(shape, n, path, what):
    m = shape.metadata
    if "min" in m and n < m["min"]:
        problems.append(f"{path}: {what} {n} is below the minimum {m['min']} ({shape.name})")
    if "max" in m and n > m["max"]:
        problems.append(f"{path}: {what} {n} is above the maximum {m['max']} ({shape.name})")

def check(shape, value, path):
    t, m = shape.type_name, shape.metadata
    if t == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: not a structure ({shape.name})")
            return
        for name in shape.required_members:
            if name not in value:
                problems.append(f"{path}.{name}: required ({shape.name})")
        for name, item in value.items():
            if name not in shape.members:
                problems.append(f"{path}.{name}: not a member of {shape.name}")
            else:
                check(shape.members[name], item, f"{path}.{name}")
    elif t == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: not a list ({shape.name})")
            return
        length(shape, len(value), path, "length")
        for i, item in enumerate(value):
            check(shape.member, item, f"{path}[{i}]")
    elif t == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: not a map ({shape.name})")
            return
        length(shape, len(value), path, "entries")
        for key, item in value.items():
            check(shape.key, key, f"{path} key {key!r}")
            check(shape.value, item, f"{path}.{key}")
    elif t == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: not a string ({shape.name})")
            return
        length(shape, len(value), path, "length")
        if "enum" in m and value not in m["enum"]:
            problems.append(f"{path}: {value!r} is not one of {shape.name}")
        if "pattern" in m and not re.fullmatch(pattern_of(m["pattern"]), value, re.S):
            problems.append(f"{path}: {value!r} does not match {m['pattern']} ({shape.name})")
    elif t in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{path}: not a whole number ({shape.name})")
            return
        length(shape, value, path, "value")
    elif t == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: not a boolean ({shape.name})")
    elif t in ("float", "double"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            problems.append(f"{path}: not a number ({shape.name})")

check(op.input_shape, params, operation)
print(json.dumps(problems))
`;

/** What the API model says is wrong with `params` for `service`'s `operation` (PascalCase names); [] when nothing. */
export function modelViolations(service: string, operation: string, params: unknown): string[] {
  const run = spawnSync(PYTHON, ['-c', SCRIPT, service, operation, JSON.stringify(params)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the ${service} model check failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}
