import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderDockerfile } from './dockerfile';
import { dockerfilePath, SERVICES, WORKSPACE } from './workspace';

// Regenerates services/*/Dockerfile after a service gains or loses a library.
for (const service of SERVICES) {
  writeFileSync(path.join(WORKSPACE, dockerfilePath(service)), renderDockerfile(service));
  console.log(`wrote ${dockerfilePath(service)}`);
}
