/** A colour per subject, the same everywhere (graph nodes, subject badges), readable on both themes. */
const PALETTE = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#4d7c0f'];

export function subjectColour(subject: string): string {
  let hash = 0;
  for (const ch of subject) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return PALETTE[hash % PALETTE.length];
}
