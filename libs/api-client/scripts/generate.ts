// npm run api-client:generate — rebuilds the gateway's OpenAPI document from its sources (the same
// function the gateway serves /openapi.json from, so no stack needs to run), then writes the
// document copy and the client's generated types. Run it after changing a route or its schemas.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
// The generator reads the gateway's route metadata on purpose: it is the source of the document.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { GATEWAY_CONTROLLERS } from '../../../services/gateway/src/app.module';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { gatewayOpenApi } from '../../../services/gateway/src/openapi/gateway-openapi';
import { DOCUMENT_COPY_PATH, GENERATED_TYPES_PATH, renderClientTypes, renderDocumentCopy } from '../codegen';

async function main(): Promise<void> {
  const workspace = resolve(__dirname, '../../..');
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
