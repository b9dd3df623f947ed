/** 75 → "01:15", 3725 → "1:02:05". */
export function clock(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/** A point followed by a link to the moment of the video it comes from. */
export const citeMoment = (text: string, seconds: number, youtubeVideoId: string): string =>
  `${text} [${clock(seconds)}](https://youtu.be/${youtubeVideoId}?t=${seconds})`;
