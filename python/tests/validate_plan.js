// Validate a plan.json (or PlanError JSON) against the zod schemas of
// src/plan/schema.ts, transpiled on the fly with the repo's typescript.
// Usage: node validate_plan.js <repo-root> <plan|error> <file.json>
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');

const [repoRoot, which, file] = process.argv.slice(2);
const schemaPath = path.join(repoRoot, 'src', 'plan', 'schema.ts');
const ts = require(path.join(repoRoot, 'node_modules', 'typescript'));
const js = ts.transpileModule(fs.readFileSync(schemaPath, 'utf8'), {
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
}).outputText;
const mod = new Module(schemaPath, module);
mod.filename = schemaPath;
mod.paths = Module._nodeModulePaths(path.dirname(schemaPath));
mod._compile(js, schemaPath);

const schema = which === 'plan' ? mod.exports.PlanSchema : mod.exports.PlanErrorSchema;
const data = JSON.parse(fs.readFileSync(file, 'utf8'));
const result = schema.strict ? schema.strict().safeParse(data) : schema.safeParse(data);
if (!result.success) {
  console.error(JSON.stringify(result.error.issues, null, 2));
  process.exit(1);
}
