import { toSnakeCase } from './snake-case';

describe('toSnakeCase', () => {
  it('renames keys at every depth and leaves values alone', () => {
    expect(
      toSnakeCase({
        videoId: 'v',
        noteId: null,
        error: { failedStep: 'x' },
        items: [{ createdAt: 'now' }],
        content: 'camelCase stays',
      }),
    ).toEqual({
      video_id: 'v',
      note_id: null,
      error: { failed_step: 'x' },
      items: [{ created_at: 'now' }],
      content: 'camelCase stays',
    });
  });
});
