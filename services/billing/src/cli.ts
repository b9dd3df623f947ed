// Operators' commands, run beside a running platform (locally, or as a Kubernetes Job in the billing image):
//   node dist/services/billing/src/cli.js grant <email|user-id> <n> --reason "..." [--key <id>]
//   node dist/services/billing/src/cli.js reconcile [--hours <n>]
// They ask the running services over NATS (NATS_URL, MESSAGING_NAMESPACE), so each command goes through
// billing's ledger rules, its idempotency and its reconciliation lock like every other request.
import { createHash } from 'node:crypto';
import {
  AppError,
  findUserRequest,
  findUserReply,
  grantCreditsReply,
  isUuid,
  reconcileReply,
  RPC,
} from '@study-buddy/contracts';
import { connectNats, RpcClient } from '@study-buddy/messaging';

const USAGE = `usage:
  npm run credits -- grant <email|user-id> <n> --reason "why" [--key <idempotency key>]
  npm run billing:reconcile [-- --hours <n>]`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function grant(rpc: RpcClient, args: string[]) {
  const [who, count] = args;
  const reason = option(args, 'reason');
  const amount = Number(count);
  if (!who || !Number.isInteger(amount) || amount < 1 || !reason?.trim()) fail(USAGE);
  const userId = isUuid(who)
    ? who
    : (await rpc.request(RPC.gateway.findUser, findUserRequest.parse({ email: who }), { reply: findUserReply })).userId;
  // The same command run twice (a retried Job) grants once; --key tells two intended grants apart.
  const grantId =
    option(args, 'key') ?? createHash('sha256').update(`${userId}/${amount}/${reason.trim()}`).digest('hex');
  const result = await rpc.request(
    RPC.billing.grant,
    { userId, amount, grantId, note: reason.trim() },
    { reply: grantCreditsReply },
  );
  console.log(
    result.granted
      ? `granted ${amount} credit(s) to ${userId} (${reason.trim()}): balance ${result.balance}`
      : `already granted (key ${grantId}): nothing changed, balance ${result.balance}; pass --key to grant again`,
  );
}

async function reconcile(rpc: RpcClient, args: string[]) {
  const hours = option(args, 'hours');
  const result = await rpc.request(RPC.billing.reconcile, hours ? { lookbackHours: Number(hours) } : {}, {
    reply: reconcileReply,
    timeoutMs: 300_000,
  });
  if (!result.ran) return console.log('another billing replica is reconciling right now: nothing done');
  console.log(`checked ${result.checked} completed session(s), granted ${result.granted.length} missed payment(s)`);
  for (const session of result.granted) console.log(`  granted ${session}`);
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (command !== 'grant' && command !== 'reconcile') fail(USAGE);
  const nc = await connectNats({ url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'billing-cli' });
  const rpc = new RpcClient(nc, 15_000, process.env.MESSAGING_NAMESPACE ?? '');
  try {
    await (command === 'grant' ? grant(rpc, args) : reconcile(rpc, args));
  } finally {
    await nc.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof AppError ? `${e.code}: ${e.message}` : (e as Error).message);
  process.exit(1);
});
