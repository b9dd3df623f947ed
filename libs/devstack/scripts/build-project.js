#!/usr/bin/env node
// Compiles one project's sources to dist/<projectRoot>/src with swc (fast, keeps
// decorator metadata for Nest) and writes dist/node_modules/@study-buddy/* so the
// compiled code resolves the tsconfig path aliases with plain Node resolution.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const workspace = path.resolve(__dirname, '../../..');
const projectRoot = process.argv[2];
if (!projectRoot || !fs.existsSync(path.join(workspace, projectRoot, 'src'))) {
  console.error('usage: build-project.js <projectRoot>   (a folder with src/)');
  process.exit(2);
}

const swc = require.resolve('@swc/cli/bin/swc.js', { paths: [workspace] });
execFileSync(
  process.execPath,
  [swc, `${projectRoot}/src`, '-d', 'dist', '--config-file', '.swcrc', '--ignore', '**/*.spec.ts,**/testing/**', '--quiet'],
  { cwd: workspace, stdio: 'inherit' },
);

const { compilerOptions } = require(path.join(workspace, 'tsconfig.base.json'));
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  const stubDir = path.join(workspace, 'dist/node_modules', alias);
  const main = path.relative(stubDir, path.join(workspace, 'dist', target.replace(/\.ts$/, '.js')));
  fs.mkdirSync(stubDir, { recursive: true });
  fs.writeFileSync(path.join(stubDir, 'package.json'), JSON.stringify({ name: alias, private: true, main }, null, 2) + '\n');
}
