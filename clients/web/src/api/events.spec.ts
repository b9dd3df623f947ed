import { SseParser } from './events';

describe('the event-stream parser', () => {
  it('splits messages across chunks, keeps ids and event names, skips comments and retry lines', () => {
    const parser = new SseParser();
    expect(parser.push('retry: 2000\n\n: heartbeat\n\nid: v1:1.0\nevent: queued\nda')).toEqual([]);
    expect(parser.push('ta: {"a":1}\n\nid: v1:1.25\r\nevent: processing\r\ndata: {"a":2}\r\n\r\n')).toEqual([
      { id: 'v1:1.0', event: 'queued', data: '{"a":1}' },
      { id: 'v1:1.25', event: 'processing', data: '{"a":2}' },
    ]);
  });

  it('joins multi-line data', () => {
    expect(new SseParser().push('data: a\ndata: b\n\n')).toEqual([{ id: undefined, event: 'message', data: 'a\nb' }]);
  });
});
