import { transcriptKey, videoIdOfTranscriptKey } from './transcript-key';

describe('transcript keys', () => {
  const userId = '7d1f3c52-4c1e-4f0e-9a43-0d2b8f6f2a10';
  const videoId = '0b9e4d8a-2f7c-5a61-8e3d-4c5b6a7d8e9f';
  const attemptId = 'c3a1e2d4-5b6f-4a7e-8d9c-0e1f2a3b4c5d';

  it('gives each attempt its own key under the video', () => {
    expect(transcriptKey(userId, videoId, attemptId)).toBe(`transcripts/${userId}/${videoId}/${attemptId}.txt`);
  });

  it('finds the video of a key in the current and the earlier layout', () => {
    expect(videoIdOfTranscriptKey(transcriptKey(userId, videoId, attemptId))).toBe(videoId);
    expect(videoIdOfTranscriptKey(`transcripts/${userId}/${videoId}.txt`)).toBe(videoId);
  });

  it('does not claim keys it did not write', () => {
    expect(videoIdOfTranscriptKey(`transcripts/${userId}/not-a-uuid.txt`)).toBeNull();
    expect(videoIdOfTranscriptKey(`notes/${userId}/${videoId}.md`)).toBeNull();
    expect(videoIdOfTranscriptKey(`transcripts/${userId}/${videoId}/${attemptId}.txt.bak`)).toBeNull();
  });
});
