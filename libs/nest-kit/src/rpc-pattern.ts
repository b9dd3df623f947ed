/**
 * The NATS subject a `@MessagePattern` handler listens on. Decorators are
 * evaluated when the class loads, so the namespace comes straight from the
 * environment (validated with the rest of the configuration at start); it is
 * empty in production and lets isolated stacks share one NATS server.
 */
export function rpcPattern(subject: string): string {
  return `${process.env.MESSAGING_NAMESPACE ?? ''}${subject}`;
}
