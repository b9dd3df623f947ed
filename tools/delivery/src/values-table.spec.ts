import { readFileSync } from 'node:fs';
import path from 'node:path';
import { valuesTable, withValuesTable } from './values-table';
import { WORKSPACE } from './workspace';

describe('the README values table', () => {
  it('matches the chart (run `npm run values-table` after changing values.yaml or values.schema.json)', () => {
    const readme = readFileSync(path.join(WORKSPACE, 'README.md'), 'utf8');
    expect(withValuesTable(readme)).toBe(readme);
  });

  it('documents every service setting once, with the defaults of each service where they differ', () => {
    const table = valuesTable();
    expect(table).toContain(
      '| `services.<name>.port` | integer | gateway: `8080`, videos: `8081`, processor: `8082`, notes: `8083`, billing: `8084` |',
    );
    expect(table).toContain('| `services.processor.keda.enabled` | boolean | `false` |');
    expect(table).toMatch(/\| `secrets.jwtSigningKeys` \| string \| `""` \| Access-token signing keys/);
    expect(table).not.toMatch(/\|\s*\|\s*$/m);
  });
});
