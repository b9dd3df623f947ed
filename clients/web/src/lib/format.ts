export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return 'unknown length';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

export function money(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase() }).format(
      minor / 100,
    );
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency.toUpperCase()}`;
  }
}

export const dateTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '');

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The pipeline's step names, for people. */
export const STEP_LABELS: Record<string, string> = {
  starting: 'Starting',
  fetching_transcript: 'Reading the transcript',
  generating_notes: 'Writing the notes',
  generating_assessment: 'Writing the assessment',
  writing_files: 'Saving the files',
  creating_links: 'Linking related notes',
  completed: 'Done',
};

export const STATUS_LABELS: Record<string, string> = {
  submitted: 'Submitted',
  queued: 'Waiting to start',
  processing: 'Processing',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  deleted: 'Deleted',
};

/** Note languages offered when submitting (the video's caption languages come first). */
export const NOTE_LANGUAGES: [string, string][] = [
  ['en', 'English'],
  ['de', 'German'],
  ['fr', 'French'],
  ['es', 'Spanish'],
  ['it', 'Italian'],
  ['pt', 'Portuguese'],
  ['nl', 'Dutch'],
  ['pl', 'Polish'],
  ['ja', 'Japanese'],
  ['zh', 'Chinese'],
];
