import nx from '@nx/eslint-plugin';

// Architecture as lint rules: libs/contracts and the deciders stay free of Nest and I/O,
// libraries never reach into services, and no service imports another.
const io = [
  '@nestjs/*',
  'pg',
  'nats',
  'minio',
  'fastify',
  '@eventstore/db-client',
  'node:fs',
  'fs',
  'node:net',
  'node:http',
  'node:child_process',
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', 'tmp', '.data', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: false,
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:testing'] },
            { sourceTag: 'type:nest', onlyDependOnLibsWithTags: ['type:nest', 'type:lib', 'type:contracts'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:lib', 'type:contracts'] },
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts'] },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:nest', 'type:lib', 'type:contracts', 'type:testing'],
            },
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: ['type:tooling', 'type:lib', 'type:contracts', 'type:testing'],
            },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared'] },
            { sourceTag: 'scope:videos', onlyDependOnLibsWithTags: ['scope:videos', 'scope:shared'] },
            { sourceTag: 'scope:processor', onlyDependOnLibsWithTags: ['scope:processor', 'scope:shared'] },
            { sourceTag: 'scope:notes', onlyDependOnLibsWithTags: ['scope:notes', 'scope:shared'] },
            { sourceTag: 'scope:billing', onlyDependOnLibsWithTags: ['scope:billing', 'scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // the web app (clients/web) talks to the platform only through the public API's client
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'type:client', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts'] },
          ],
        },
      ],
      // Used deliberately where a decider has already checked the state.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Pure code: contracts and deciders describe the domain; they never do I/O or depend on a framework.
    files: ['libs/contracts/src/**/*.ts', 'services/*/src/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: io, message: 'Contracts and deciders are pure: no framework, no I/O.' }] },
      ],
    },
  },
];
