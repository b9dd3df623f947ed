import { Pool } from 'pg';
import { quoteIdent } from '@study-buddy/event-store';

export interface UserProfile {
  userId: string;
  email: string;
  name: string | null;
  defaultSubject: string | null;
  noteLanguage: string | null;
  assessment: boolean | null;
  createdAt: string;
}

/** Reads of the `users` projection. */
export class UsersQueries {
  private readonly table: string;
  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.users`;
  }

  async profile(userId: string): Promise<UserProfile | null> {
    const { rows } = await this.pool.query<{
      user_id: string;
      email: string;
      name: string | null;
      default_subject: string | null;
      note_language: string | null;
      assessment: boolean | null;
      registered_at: Date;
    }>(
      `SELECT user_id, email, name, default_subject, note_language, assessment, registered_at
         FROM ${this.table} WHERE user_id = $1`,
      [userId],
    );
    const row = rows[0];
    return row
      ? {
          userId: row.user_id,
          email: row.email,
          name: row.name,
          defaultSubject: row.default_subject,
          noteLanguage: row.note_language,
          assessment: row.assessment,
          createdAt: row.registered_at.toISOString(),
        }
      : null;
  }

  /** E-mail addresses are stored normalised (trimmed, lower case). */
  async userIdByEmail(email: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ user_id: string }>(`SELECT user_id FROM ${this.table} WHERE email = $1`, [
      email,
    ]);
    return rows[0]?.user_id ?? null;
  }
}
