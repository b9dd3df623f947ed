/**
 * Bytes per chunk of a stored export. A chunk crosses NATS as base64 in a JSON reply: 512 KiB
 * become about 700 kB, inside NATS's default max_payload of 1 MB with room for the envelope.
 */
export const EXPORT_CHUNK_BYTES = 512 * 1024;

/** A prepared export nobody fetched (a client that went away, a gateway that restarted) is removed after this. */
export const EXPORT_TTL_MS = 60 * 60 * 1000;

export const exportPrefix = (userId: string, exportId?: string) =>
  exportId ? `exports/${userId}/${exportId}/` : `exports/${userId}/`;
export const chunkKey = (userId: string, exportId: string, index: number) =>
  `${exportPrefix(userId, exportId)}${index}`;

export function chunks(bytes: Buffer, size = EXPORT_CHUNK_BYTES): Buffer[] {
  const out: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) out.push(bytes.subarray(offset, offset + size));
  return out;
}
