/**
 * Does the wheel bring in what the catalog's file systems need? The plan says which packages each
 * protocol needs (fsspec's own extras: `s3` needs `s3fs`) and which requirements bring each in too
 * (`fsspec[s3]`, `kedro-datasets[s3fs-base]`); the wheel's Requires-Dist is what the image installs.
 * A package neither required nor brought in is refused at `package`: the groups would fail on AWS
 * with fsspec's "Install s3fs to access S3".
 *
 * Pure: no I/O.
 */
import type { Filesystem } from './schema';

export interface UnmetPackage {
  protocol: string;
  /** Normalised distribution name. */
  package: string;
  datasets: string[];
  locations: NonNullable<Filesystem['locations']>;
}

/** PEP 503 normalised name (`Foo_Bar.baz` → `foo-bar-baz`). */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** `kedro-datasets[pandas-csvdataset,s3fs-base]>=9; python_version>"3"` → name and extras, normalised. */
export function parseRequirement(line: string): { name: string; extras: string[] } | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?/.exec(line);
  if (!m) return undefined;
  const extras = (m[2] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .map(normalize);
  return { name: normalize(m[1]!), extras };
}

/** `dist` or `dist[extra]` of the plan: does one of the requirements bring it in? */
function reached(provider: string, requirements: { name: string; extras: string[] }[]): boolean {
  const m = /^([^[\]]+)(?:\[([^\]]+)\])?$/.exec(provider);
  if (!m) return false;
  const [name, extra] = [normalize(m[1]!), m[2] ? normalize(m[2]) : undefined];
  return requirements.some((r) => r.name === name && (extra === undefined || r.extras.includes(extra)));
}

/** The packages the file systems need that the wheel's requirements do not reach. */
export function unmetFilesystemPackages(
  filesystems: readonly Filesystem[] | undefined,
  wheelRequirements: readonly string[],
): UnmetPackage[] {
  const requirements = wheelRequirements.map(parseRequirement).filter((r) => r !== undefined);
  const unmet: UnmetPackage[] = [];
  for (const fs of filesystems ?? []) {
    for (const pkg of fs.packages) {
      const name = normalize(pkg.name);
      if (requirements.some((r) => r.name === name) || pkg.provided_by.some((p) => reached(p, requirements))) continue;
      unmet.push({ protocol: fs.protocol, package: name, datasets: fs.datasets, locations: fs.locations ?? [] });
    }
  }
  return unmet;
}

/** The refusal: which package to add, for which datasets, and where dependencies are declared. */
export function unmetFilesystemMessage(unmet: readonly UnmetPackage[], env: string, wheel: string): string {
  const lines = unmet.map((u) => {
    const shown = u.datasets.slice(0, 5).map((d) => `'${d}'`);
    const more = u.datasets.length > shown.length ? ` and ${u.datasets.length - shown.length} more` : '';
    return `"${u.package}" for ${u.protocol}:// (dataset(s) ${shown.join(', ')}${more})`;
  });
  const packages = [...new Set(unmet.map((u) => u.package))];
  return (
    `the catalog of env "${env}" reads and writes through file systems whose packages the wheel ${wheel} does not ` +
    `require, so the image would not have them and every group using them would fail ("Install ... to access ..."): ` +
    `${lines.join('; ')}. Add ${packages.map((p) => `"${p}"`).join(', ')} to the project's dependencies ` +
    '(the `dependencies` of [project] in pyproject.toml, or the requirements file they are read from) and package again.'
  );
}
