import path from 'node:path';
import ts from 'typescript';
import { Manifest, modelModule } from './manifests';
import { WORKSPACE } from './workspace';

/**
 * Type-checks rendered objects against the Kubernetes API types, as object
 * literals: the OpenAPI schemas accept unknown fields, and the API server
 * silently drops them, so a misspelt `readinesProbe` would pass validation
 * and lose the probe. TypeScript's excess-property check catches it.
 */
export function unknownFieldProblems(manifests: Manifest[]): string[] {
  const file = path.join(WORKSPACE, 'tools/delivery/.rendered-manifests.ts');
  const imports = new Map<string, string>();
  const declarations = manifests.map((manifest, index) => {
    const module = modelModule(manifest.apiVersion, manifest.kind);
    const alias = `T${imports.size}`;
    if (!imports.has(module)) imports.set(module, alias);
    return `export const m${index}: ${imports.get(module)}.I${manifest.kind} = ${JSON.stringify(manifest)};`;
  });
  const source = [
    ...[...imports].map(([module, alias]) => `import type * as ${alias} from '${module}';`),
    ...declarations,
  ].join('\n');

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === file ? source : readFile(name));
  host.fileExists = (
    (exists) => (name: string) =>
      name === file || exists(name)
  )(host.fileExists.bind(host));
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);

  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const line =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
        : -1;
    const index = Number(/^export const m(\d+)/.exec(source.split('\n')[line] ?? '')?.[1]);
    const owner = Number.isNaN(index) ? 'rendered chart' : `${manifests[index].kind}/${manifests[index].metadata.name}`;
    return `${owner}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
  });
}
