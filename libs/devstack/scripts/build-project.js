#!/usr/bin/env node
// Compiles one project's sources to dist/<projectRoot>/src with swc (fast, keeps
// decorator metadata for Nest). The tsconfig path aliases (@study-buddy/*) are
// rewritten to relative requires, so dist/ runs with plain Node resolution and
// each project's output is self-contained (and restorable from the Nx cache).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const workspace = path.resolve(__dirname, '../../..');
const projectRoot = process.argv[2];
if (!projectRoot || !fs.existsSync(path.join(workspace, projectRoot, 'src'))) {
  console.error('usage: build-project.js <projectRoot>   (a folder with src/)');
  process.exit(2);
}

const swcrc = JSON.parse(fs.readFileSync(path.join(workspace, '.swcrc'), 'utf8'));
const { compilerOptions } = require(path.join(workspace, 'tsconfig.base.json'));
// swc wants an absolute baseUrl to resolve the aliases; the output it writes is relative.
swcrc.jsc.baseUrl = workspace;
swcrc.jsc.paths = compilerOptions.paths;
const config = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'swcrc-')), '.swcrc');
fs.writeFileSync(config, JSON.stringify(swcrc));

const swc = require.resolve('@swc/cli/bin/swc.js', { paths: [workspace] });
try {
  execFileSync(
    process.execPath,
    [
      swc,
      `${projectRoot}/src`,
      '-d',
      'dist',
      '--config-file',
      config,
      '--ignore',
      '**/*.spec.ts,**/testing/**',
      '--quiet',
    ],
    { cwd: workspace, stdio: 'inherit' },
  );
} finally {
  fs.rmSync(path.dirname(config), { recursive: true, force: true });
}
