import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CHART_DIR, SERVICES } from './workspace';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = Record<string, any>;
export const TABLE_START = '<!-- values-table:start (npm run values-table) -->';
export const TABLE_END = '<!-- values-table:end -->';

/** Objects documented as one row: their keys are free-form or belong together. */
const LEAF_OBJECTS = new Set(['resources', 'env', 'annotations', 'nodeSelector', 'affinity', 'storage']);

const format = (value: unknown) =>
  value === undefined ? '' : `\`${typeof value === 'string' ? (value === '' ? '""' : value) : JSON.stringify(value)}\``;

function typeOf(schema: Schema): string {
  if (schema.enum) return schema.enum.join(' \\| ');
  return [schema.type].flat().join(' \\| ') || 'object';
}

/**
 * The chart's values as a Markdown table, from values.schema.json (types,
 * descriptions) and values.yaml (defaults): the README cannot drift from the chart.
 */
export function valuesTable(): string {
  const schema: Schema = JSON.parse(readFileSync(path.join(CHART_DIR, 'values.schema.json'), 'utf8'));
  const defaults = parse(readFileSync(path.join(CHART_DIR, 'values.yaml'), 'utf8'));
  const resolve = (node: Schema): Schema =>
    node.$ref
      ? {
          ...resolve(
            node.$ref
              .slice(2)
              .split('/')
              .reduce((n: Schema, key: string) => n[key], schema),
          ),
          ...node,
          $ref: undefined,
        }
      : node;
  const rows: string[] = [];

  // instances: the values this key has, per service when under `services.<name>`
  const walk = (node: Schema, key: string, instances: Array<[string, unknown]>) => {
    const resolved = resolve(node);
    const name = key.split('.').pop()!;
    if (resolved.properties && !LEAF_OBJECTS.has(name)) {
      for (const [child, childSchema] of Object.entries<Schema>(resolved.properties)) {
        walk(
          childSchema,
          `${key}.${child}`,
          instances.map(([label, value]) => [label, (value as Schema | undefined)?.[child]]),
        );
      }
      return;
    }
    const present = instances.filter(([, value]) => value !== undefined);
    // a setting only one service has (the processor's keda) is documented under that service's name
    if (present.length === 1 && instances.length > 1) key = key.replace('<name>', present[0][0]);
    const distinct = new Set(present.map(([, value]) => JSON.stringify(value)));
    const fallback = resolved.type === 'string' ? '""' : '';
    const defaultText =
      distinct.size <= 1
        ? format(present[0]?.[1]) || fallback
        : present.map(([label, value]) => `${label}: ${format(value)}`).join(', ');
    rows.push(
      `| \`${key}\` | ${typeOf(resolved)} | ${defaultText} | ${(node.description ?? resolved.description ?? '').replace(/\|/g, '\\|')} |`,
    );
  };

  for (const [key, node] of Object.entries<Schema>(schema.properties)) {
    if (key === 'global') continue;
    if (key === 'services') {
      // The five services share a shape; the processor's is the widest (it adds keda).
      walk(
        schema.definitions.processor,
        'services.<name>',
        SERVICES.map((service) => [service, defaults.services[service]]),
      );
      continue;
    }
    walk(node, key, [['', defaults[key]]]);
  }
  return [TABLE_START, '', '| key | type | default | meaning |', '|---|---|---|---|', ...rows, '', TABLE_END].join(
    '\n',
  );
}

/** The README with its values table replaced by the current one. */
export function withValuesTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${TABLE_START} … ${TABLE_END}`);
  return readme.slice(0, start) + valuesTable() + readme.slice(end + TABLE_END.length);
}
