import { createPostgresProjector, Projector } from '@study-buddy/event-store';
import { ProjectionSpec } from '@study-buddy/service-testing';
import { playlistsProjection } from '../read-model/playlists.projection';

/** The playlists projector, set up beside a videos projection spec: it reads the videos one's tables, so the same schema and store. */
export async function playlistsProjectorBeside(videosRead: ProjectionSpec): Promise<Projector> {
  const projector = createPostgresProjector({
    pool: videosRead.pool,
    schema: videosRead.schema,
    store: videosRead.store,
    projection: playlistsProjection(),
  });
  await projector.setup();
  return projector;
}
