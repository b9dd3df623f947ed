import { AppError, VideosEvent } from '@study-buddy/contracts';
import {
  cancel,
  cancelled,
  complete,
  completed,
  deleted,
  fail,
  failed,
  progress,
  progressed,
  remove,
  resubmitted,
  retry,
  spec,
  stranger,
  submit,
  submitted,
} from '../testing/video-fixtures';

describe('video decider: cancel, retry and delete', () => {
  describe('cancel', () => {
    it('cancels a queued video', () => spec.given([submitted]).when(cancel).then([cancelled()]));
    it('cancels a processing video', () =>
      spec
        .given([submitted, progressed('starting', 10)])
        .when(cancel)
        .then([cancelled()]));
    it('is cancelled afterwards', () => spec.given([submitted, cancelled()]).thenState({ status: 'cancelled' }));
    it('cancels twice as once', () => spec.given([submitted, cancelled()]).when(cancel).thenNothingHappens());
    it('refuses to cancel a completed video (409)', () =>
      spec
        .given([submitted, completed])
        .when(cancel)
        .thenThrows(AppError, /already completed/));
    it('refuses to cancel a failed video (409)', () =>
      spec
        .given([submitted, failed(true)])
        .when(cancel)
        .thenThrows(AppError, /already failed/));
    it('does not know a video that was never submitted, was deleted, or is not the caller’s (404)', () => {
      spec
        .given([])
        .when(cancel)
        .thenThrows(AppError, /not found/);
      spec
        .given([submitted, deleted()])
        .when(cancel)
        .thenThrows(AppError, /not found/);
      spec
        .given([submitted])
        .when({ ...cancel, userId: stranger })
        .thenThrows(AppError, /not found/);
    });
    // The race: whichever lands first in the stream wins.
    it('a completion that arrives after the cancel changes nothing', () =>
      spec
        .given([submitted, progressed('starting', 10), cancelled()])
        .when(complete())
        .thenNothingHappens());
    it('a cancel that arrives after the completion is refused', () =>
      spec
        .given([submitted, progressed('starting', 10), completed])
        .when(cancel)
        .thenThrows(AppError, /completed/));
    it('a failure or progress after the cancel changes nothing', () => {
      spec.given([submitted, cancelled()]).when(fail()).thenNothingHappens();
      spec.given([submitted, cancelled()]).when(progress()).thenNothingHappens();
    });
  });

  describe('retry', () => {
    it('resubmits a retryable failure as the next attempt', () =>
      spec
        .given([submitted, failed(true)])
        .when(retry())
        .then([resubmitted(2)]));
    it('resubmits a cancelled video', () =>
      spec
        .given([submitted, cancelled()])
        .when(retry())
        .then([resubmitted(2)]));
    it('takes a new transcript for the new attempt', () =>
      spec
        .given([submitted, failed(true)])
        .when(retry(1, 't2'))
        .then([resubmitted(2, 't2')]));
    it('is queued again at the new attempt', () =>
      spec
        .given([submitted, failed(true), resubmitted(2)])
        .thenState({ status: 'queued', attempt: 2, progress: 0, transcriptKeys: ['t'] }));
    it('two retries at once make one: the second finds the new attempt', () =>
      spec
        .given([submitted, failed(true), resubmitted(2)])
        .when(retry(1))
        .thenNothingHappens());
    it('retries the second attempt after it fails too', () =>
      spec
        .given([submitted, failed(true), resubmitted(2), failed(true, 2)])
        .when(retry(2))
        .then([resubmitted(3)]));
    it('refuses a failure a retry cannot fix (409)', () =>
      spec
        .given([submitted, failed(false)])
        .when(retry())
        .thenThrows(AppError, /cannot fix/));
    it('refuses a completed, queued or processing video (409)', () => {
      spec
        .given([submitted, completed])
        .when(retry())
        .thenThrows(AppError, /completed/);
      spec
        .given([submitted])
        .when(retry())
        .thenThrows(AppError, /queued/);
      spec
        .given([submitted, progressed('starting', 10)])
        .when(retry())
        .thenThrows(AppError, /processing/);
    });
    it('does not know a deleted or foreign video (404)', () => {
      spec
        .given([submitted, failed(true), deleted()])
        .when(retry())
        .thenThrows(AppError, /not found/);
      spec
        .given([submitted, failed(true)])
        .when(retry(1, undefined, stranger))
        .thenThrows(AppError, /not found/);
    });
    it('drops reports of an earlier attempt', () => {
      const retried = [submitted, failed(true), resubmitted(2)];
      spec.given(retried).when(progress(1)).thenNothingHappens();
      spec.given(retried).when(complete(1)).thenNothingHappens();
      spec.given(retried).when(fail(1)).thenNothingHappens();
    });
    it('completes the current attempt', () =>
      spec
        .given([submitted, failed(true), resubmitted(2)])
        .when(complete(2))
        .then([{ ...completed, data: { ...completed.data, attempt: 2 } } as VideosEvent]));
  });

  describe('delete', () => {
    it('deletes a finished video', () => {
      spec.given([submitted, completed]).when(remove).then([deleted()]);
      spec
        .given([submitted, failed(false)])
        .when(remove)
        .then([deleted()]);
      spec.given([submitted, cancelled()]).when(remove).then([deleted()]);
    });
    it('cancels a video in progress before deleting it, so its credit goes back', () => {
      spec.given([submitted]).when(remove).then([cancelled(), deleted()]);
      spec
        .given([submitted, progressed('starting', 10)])
        .when(remove)
        .then([cancelled(), deleted()]);
    });
    it('deletes the latest attempt', () =>
      spec
        .given([submitted, failed(true), resubmitted(2), failed(true, 2)])
        .when(remove)
        .then([deleted(2)]));
    it('does not delete a deleted, unknown or foreign video (404)', () => {
      spec
        .given([submitted, deleted()])
        .when(remove)
        .thenThrows(AppError, /not found/);
      spec
        .given([])
        .when(remove)
        .thenThrows(AppError, /not found/);
      spec
        .given([submitted])
        .when({ ...remove, userId: stranger })
        .thenThrows(AppError, /not found/);
    });
    it('ignores everything the pipeline reports after the deletion', () => {
      spec.given([submitted, cancelled(), deleted()]).when(complete()).thenNothingHappens();
      spec.given([submitted, cancelled(), deleted()]).when(progress()).thenNothingHappens();
    });
    it('keeps the first submission id deleted: submitting it again records nothing here', () =>
      spec.given([submitted, deleted()]).when(submit).thenNothingHappens());
  });
});
