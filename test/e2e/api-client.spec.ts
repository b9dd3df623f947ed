import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_TYPES_PATH, renderClientTypes } from '@study-buddy/api-client/codegen';
import { startSystem, System } from './support/system';

const workspace = path.resolve(__dirname, '../..');

/**
 * The typed client cannot drift from the server: the types generated from the document the running
 * gateway serves must be the checked-in ones, byte for byte.
 */
describe('the generated API client against the live OpenAPI document (system test)', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem();
  }, 120_000);

  afterAll(async () => {
    await system?.teardown();
  }, 60_000);

  it('is what openapi-typescript generates from GET /openapi.json', async () => {
    const response = await fetch(`${system.stack.gatewayUrl}/openapi.json`);
    expect(response.status).toBe(200);
    const live = (await response.json()) as Record<string, unknown>;
    const generated = await renderClientTypes(live, workspace);
    const checkedIn = readFileSync(path.join(workspace, GENERATED_TYPES_PATH), 'utf8');
    if (generated !== checkedIn) {
      const a = generated.split('\n');
      const b = checkedIn.split('\n');
      const line = a.findIndex((text, i) => text !== b[i]);
      throw new Error(
        `${GENERATED_TYPES_PATH} is not what the live /openapi.json generates: run \`npm run api-client:generate\` and commit the result.\n` +
          `First difference at line ${line + 1}:\n  live:       ${a[line] ?? '(end of file)'}\n  checked in: ${b[line] ?? '(end of file)'}`,
      );
    }
  });
});
