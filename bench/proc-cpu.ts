import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (user + system) a process has used, from /proc: CPU per request is what a busy machine
 * distorts least, unlike req/s and latency, which depend on what else gets the cores.
 */
export function cpuMs(pid: number | undefined): { total: number; system: number } {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return { total: NaN, system: NaN }; // not Linux
  }
}

/** A /proc/<pid>/stat line: the command name (between the first '(' and the last ')') and CPU time in ms. */
function parseStat(stat: string): { comm: string; total: number; system: number } {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [user, system] = [Number(fields[11]) * 10, Number(fields[12]) * 10]; // utime, stime in USER_HZ (100)
  return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), total: user + system, system };
}

/**
 * CPU time (ms) the whole machine has spent busy (every process, the kernel's work included), from
 * /proc/stat; not the time the hypervisor gave to other guests (steal). USER_HZ is 100 on Linux.
 */
export function machineBusyMs(): number {
  try {
    const [, user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/);
    return [user, nice, system, irq, softirq].reduce((sum, ticks) => sum + Number(ticks) * 10, 0);
  } catch {
    return NaN; // not Linux
  }
}

/**
 * CPU time (ms) of every process whose command name is `comm` (PostgreSQL's backends, nats-server),
 * from /proc. A backend that exits between two readings takes its time with it: the pools here keep
 * their connections, so that is rare.
 */
export function cpuMsOfCommand(comm: string): number {
  let total = 0;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        if (stat.comm === comm) total += stat.total;
      } catch {
        // gone between the listing and the read
      }
    }
  } catch {
    return NaN; // not Linux
  }
  return total;
}
