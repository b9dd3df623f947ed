import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withValuesTable } from './values-table';
import { WORKSPACE } from './workspace';

// Rewrites the chart values table in README.md after values.yaml or values.schema.json changed.
const readme = path.join(WORKSPACE, 'README.md');
writeFileSync(readme, withValuesTable(readFileSync(readme, 'utf8')));
console.log('README.md: values table updated');
