// The one synth with real esbuild bundling (the other infra tests skip it): each function becomes a
// self-contained ESM bundle with a source map, and the bundle loads on Node and exports `handler`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '../../infra/functions.ts';
import type { LatticeLensStack } from '../../infra/lattice-lens-stack.ts';
import { buildApp, logicalIdOf } from './lattice-lens-app.ts';

let stack: LatticeLensStack;
let assemblyDir: string;
let template: Template;

beforeAll(() => {
  const built = buildApp({}, { bundle: true });
  stack = built.stack;
  assemblyDir = built.app.synth().directory;
  template = Template.fromStack(stack);
});

/** The cloud-assembly folder holding a function's bundled code. */
function assetDirOf(name: (typeof FUNCTION_NAMES)[number]): string {
  const fn = template.toJSON().Resources[logicalIdOf(stack.functions[name])];
  const key = fn.Properties.Code.S3Key as string;
  return join(assemblyDir, `asset.${key.replace(/\.zip$/, '')}`);
}

describe('function bundles (esbuild, no Docker)', () => {
  for (const name of FUNCTION_NAMES) {
    it(`${name}: a minified ESM bundle with its source map, loadable with no node_modules`, () => {
      const dir = assetDirOf(name);
      const bundle = join(dir, 'index.mjs');
      expect(existsSync(bundle)).toBe(true);
      expect(existsSync(`${bundle}.map`)).toBe(true);
      const code = readFileSync(bundle, 'utf8');
      // The banner gives bundled CommonJS a require() for Node built-ins.
      expect(code.startsWith('import { createRequire as __createRequire }')).toBe(true);
      expect(code).toContain('//# sourceMappingURL=index.mjs.map');
      // Plain Node, not the test runner's loader, from the assembly outside the repository: a bare
      // import left in the bundle (say the AWS SDK) would fail to resolve here.
      const probe = `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(typeof m.handler);`;
      const exported = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1' },
      });
      expect(exported).toBe('function');
    });
  }
});
