import { parsePrometheusText } from './prometheus';

describe('parsePrometheusText', () => {
  const valid = [
    '# HELP jobs_total Jobs done',
    '# TYPE jobs_total counter',
    'jobs_total{outcome="ok",service="a\\"b"} 3',
    '# TYPE lag gauge',
    'lag Nan',
    '# TYPE took_seconds histogram',
    'took_seconds_bucket{le="0.1"} 1',
    'took_seconds_bucket{le="+Inf"} 2',
    'took_seconds_sum 0.3',
    'took_seconds_count 2',
    '',
  ].join('\n');

  it('reads families, labels (unescaped) and values', () => {
    const families = parsePrometheusText(valid);
    expect(families.get('jobs_total')).toMatchObject({
      type: 'counter',
      help: 'Jobs done',
      samples: [{ labels: { outcome: 'ok', service: 'a"b' }, value: 3 }],
    });
    expect(families.get('lag')!.samples[0].value).toBeNaN();
    expect(families.get('took_seconds')!.samples).toHaveLength(4);
  });

  it.each([
    ['a sample of no declared family', 'other_total 1\n'],
    ['a value that is not a number', '# TYPE x gauge\nx one\n'],
    ['malformed labels', '# TYPE x gauge\nx{a=b} 1\n'],
    ['the same series twice', '# TYPE x gauge\nx{a="1"} 1\nx{a="1"} 2\n'],
    ['a bucket without le', '# TYPE h histogram\nh_bucket 1\nh_count 1\n'],
    ['a histogram without its +Inf bucket', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1\n'],
    ['no final newline', '# TYPE x gauge\nx 1'],
  ])('refuses %s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
