import { watchUrlAt } from './youtube';

describe('timestamp links', () => {
  it('open the watch page at that moment', () => {
    expect(watchUrlAt('https://youtu.be/dQw4w9WgXcQ?t=83')).toBe('https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=83s');
    expect(watchUrlAt('https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=7s')).toBe(
      'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=7s',
    );
  });

  it('leave other links alone', () => {
    expect(watchUrlAt('https://youtu.be/dQw4w9WgXcQ')).toBeNull();
    expect(watchUrlAt('https://example.com/watch?v=dQw4w9WgXcQ&t=5')).toBeNull();
    expect(watchUrlAt('https://youtu.be/short?t=5')).toBeNull();
    expect(watchUrlAt('javascript:alert(1)')).toBeNull();
    expect(watchUrlAt('/read/abc')).toBeNull();
  });
});
