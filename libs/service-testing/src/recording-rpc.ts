import { z } from 'zod';
import { AppError } from '@study-buddy/contracts';
import { MessageContext, Rpc, RpcCallOptions } from '@study-buddy/messaging';

export interface RecordedCall {
  subject: string;
  data: unknown;
  context?: MessageContext;
}

type Responder = (data: unknown, context: MessageContext) => unknown | Promise<unknown>;

/**
 * The other services, as a service-level spec sees them: each subject answers
 * with what the spec registered (or throws the AppError it registered), every
 * call is recorded, and a subject nobody answers fails as NATS does when no
 * responder is subscribed. Replies are checked against the caller's contract,
 * like the real client, so a spec cannot hand back a shape production never sees.
 */
export function createRecordingRpc(): Rpc & {
  respond(subject: string, responder: Responder): void;
  readonly calls: RecordedCall[];
  callsTo(subject: string): unknown[];
} {
  const responders = new Map<string, Responder>();
  const calls: RecordedCall[] = [];
  return {
    calls,
    respond(subject, responder) {
      responders.set(subject, responder);
    },
    callsTo: (subject) => calls.filter((c) => c.subject === subject).map((c) => c.data),
    async request<TReply>(
      subject: string,
      data: unknown,
      options: RpcCallOptions & { reply?: z.ZodType<TReply> } = {},
    ): Promise<TReply> {
      calls.push({ subject, data: structuredClone(data), context: options.context });
      const responder = responders.get(subject);
      if (!responder) throw new AppError('unavailable', `No service is answering ${subject}; try again shortly`);
      const reply = await responder(structuredClone(data), options.context ?? {});
      if (!options.reply) return reply as TReply;
      const parsed = options.reply.safeParse(reply);
      if (!parsed.success) throw new AppError('internal', `Reply from ${subject} does not match its contract`);
      return parsed.data;
    },
  };
}
