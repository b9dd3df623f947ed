import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DOCUMENT_COPY_PATH, GENERATED_TYPES_PATH, renderClientTypes } from '../codegen';

const workspace = resolve(__dirname, '../../..');

describe('generated client types', () => {
  it('are what the checked-in document copy generates (run `npm run api-client:generate` after a route change)', async () => {
    const document = JSON.parse(readFileSync(join(workspace, DOCUMENT_COPY_PATH), 'utf8'));
    const checkedIn = readFileSync(join(workspace, GENERATED_TYPES_PATH), 'utf8');
    expect(await renderClientTypes(document, workspace)).toBe(checkedIn);
  });

  it('type every documented path', async () => {
    const document = JSON.parse(readFileSync(join(workspace, DOCUMENT_COPY_PATH), 'utf8'));
    const types = await renderClientTypes(document, workspace);
    for (const path of Object.keys(document.paths)) expect(types).toContain(`'${path}': {`);
  });
});
