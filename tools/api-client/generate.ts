// npm run api-client:generate — rebuilds the gateway's OpenAPI document from its sources (the same
// function the gateway serves /openapi.json from, so no stack needs to run), then writes the
// document copy and the client's generated types. Run it after changing a route or its schemas.
// It lives outside both projects on purpose: in libs/api-client its imports would make the client
// depend on the gateway in Nx's project graph (and the gateway's build on nothing of the client).
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
// The gateway's route metadata is the source of the document.
import { GATEWAY_CONTROLLERS } from '../../services/gateway/src/app.module';
import { gatewayOpenApi } from '../../services/gateway/src/openapi/gateway-openapi';
import {
  DOCUMENT_COPY_PATH,
  GENERATED_TYPES_PATH,
  renderClientTypes,
  renderDocumentCopy,
} from '../../libs/api-client/codegen';

async function main(): Promise<void> {
  const workspace = resolve(__dirname, '../..');
  const { document, undocumented } = gatewayOpenApi(GATEWAY_CONTROLLERS);
  if (undocumented.length) console.warn(`routes without @Api (left out of the document): ${undocumented.join(', ')}`);
  writeFileSync(join(workspace, DOCUMENT_COPY_PATH), await renderDocumentCopy(document, workspace));
  writeFileSync(join(workspace, GENERATED_TYPES_PATH), await renderClientTypes(document, workspace));
  console.log(
    `wrote ${DOCUMENT_COPY_PATH} and ${GENERATED_TYPES_PATH} (${Object.keys(document.paths as object).length} paths)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
