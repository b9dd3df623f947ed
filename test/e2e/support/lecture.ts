import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The processor's photosynthesis lecture, the transcript most system tests upload. */
export const photosynthesisLecture = readFileSync(
  path.resolve(__dirname, '../../../services/processor/test/fixtures/photosynthesis-lecture.txt'),
  'utf8',
);
