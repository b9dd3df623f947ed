export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
const SUFFIXES: Record<MetricFamily['type'], string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/** A sample value as Prometheus reads it (Go's ParseFloat: NaN and Inf in any case, signed or not). */
function floatOf(raw: string): number | undefined {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(raw);
  if (special) return special[2].toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : undefined;
}

/**
 * Parses Prometheus' text exposition format (version 0.0.4) strictly: a line that does not follow it
 * throws, naming the line. Checks what a scraper relies on: every sample belongs to a family declared
 * by `# TYPE` before it, names and labels are well formed, values are numbers, a histogram's buckets
 * carry `le` and end at `+Inf`, and no series appears twice.
 */
export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const seen = new Set<string>();
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('the exposition must end with a newline');
  for (const [index, line] of lines.slice(0, -1).entries()) {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1} (${JSON.stringify(line.slice(0, 120))}): ${why}`);
    };
    if (line === '') continue;
    if (line.startsWith('#')) {
      const [, keyword, name, ...rest] = line.split(' ');
      if (keyword !== 'HELP' && keyword !== 'TYPE') continue; // a plain comment
      if (!NAME.test(name ?? '')) fail('bad metric name');
      const family = families.get(name) ?? { name, type: 'untyped' as const, help: '', samples: [] };
      if (keyword === 'HELP') family.help = rest.join(' ');
      else {
        const type = rest.join(' ') as MetricFamily['type'];
        if (!(type in SUFFIXES)) fail(`unknown type ${type}`);
        if (family.samples.length) fail('TYPE after the samples');
        family.type = type;
      }
      families.set(name, family);
      continue;
    }
    const match = SAMPLE.exec(line) ?? fail('not a sample line');
    const [, name, , labelText = '', rawValue] = match;
    const labels: Record<string, string> = {};
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < labelText.length) {
      const label = LABEL.exec(labelText) ?? fail('malformed labels');
      if (label[1] in labels) fail(`label ${label[1]} twice`);
      labels[label[1]] = label[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const value = floatOf(rawValue);
    if (value === undefined) fail(`value ${rawValue} is not a number`);
    const family = [...families.values()].find(
      (f) => name.startsWith(f.name) && SUFFIXES[f.type].includes(name.slice(f.name.length)),
    );
    if (!family) fail(`sample ${name} of no declared family`);
    if (family!.type === 'histogram' && name.endsWith('_bucket') && !('le' in labels)) fail('bucket without le');
    const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(series)) fail('the same series twice');
    seen.add(series);
    family!.samples.push({ name, labels, value: value! });
  }
  for (const family of families.values()) {
    if (family.type !== 'histogram') continue;
    const buckets = family.samples.filter((s) => s.name.endsWith('_bucket'));
    const counts = family.samples.filter((s) => s.name.endsWith('_count'));
    if (buckets.filter((s) => s.labels.le === '+Inf').length !== counts.length)
      throw new Error(`${family.name}: every histogram series needs a +Inf bucket and a count`);
  }
  return families;
}

/**
 * GETs a Prometheus endpoint and parses it strictly (see parsePrometheusText). `value(name, labels)`
 * sums the samples named `name` whose labels include those given (for a histogram, `<name>_count`;
 * `<name>_sum` for its total).
 */
export async function scrapeMetrics(url: string): Promise<{
  families: Map<string, MetricFamily>;
  value(name: string, labels?: Record<string, string>): number;
}> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.startsWith('text/plain')) throw new Error(`${url} answered ${contentType}, not text/plain`);
  const families = parsePrometheusText(await response.text());
  return {
    families,
    value(name, labels = {}) {
      // a histogram's own series (`x_sum`, `x_count`) live in the family `x`
      const family = families.get(name) ?? families.get(name.replace(/_(sum|count|bucket)$/, ''));
      const sampleName = family?.type === 'histogram' && family.name === name ? `${name}_count` : name;
      return (family?.samples ?? [])
        .filter((s) => s.name === sampleName && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        .reduce((sum, s) => sum + s.value, 0);
    },
  };
}
