/**
 * Names of inputs, outputs and state keys are spelled once, as action.yml spells them (`project-path`);
 * the constant the code writes them with (`INPUT.projectPath`) is derived here, in the type and at run time.
 * Zod-free and dependency-free: the post step bundles it.
 */

/** `project-path` → `projectPath`. */
export type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

export function camelCase<S extends string>(name: S): CamelCase<S> {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()) as CamelCase<S>;
}

/** `['wheel', 'conf-archive']` → `{ wheel: 'wheel', confArchive: 'conf-archive' }`. */
export type Keyed<N extends string> = { readonly [K in N as CamelCase<K>]: K };

export function keyed<const N extends readonly string[]>(names: N): Keyed<N[number]> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const key = camelCase(name);
    if (key in out) throw new Error(`two names make the key ${key}: ${out[key]} and ${name}`);
    out[key] = name;
  }
  return Object.freeze(out) as Keyed<N[number]>;
}
