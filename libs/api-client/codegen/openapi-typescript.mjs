// Reads `{ document, header, filepath, kind }` as JSON from stdin and writes to stdout either what the
// client is typed with (kind "types": openapi-typescript's programmatic API, openapiTS + astToString,
// on the document) or the document itself (kind "document"), formatted by prettier with the
// repository's settings for `filepath`. A process of its own
// because openapi-typescript and prettier load ES modules, which jest's CommonJS runtime cannot.
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { document, header, filepath, kind } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const text =
  kind === 'types' ? header + astToString(await openapiTS(document, { silent: true })) : JSON.stringify(document);
process.stdout.write(await format(text, { ...((await resolveConfig(filepath)) ?? {}), filepath }));
