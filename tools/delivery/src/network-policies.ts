import { Manifest, selects } from './manifests';

/** A pod as NetworkPolicies see it: its labels, in the release's namespace. */
export type PodLabels = Record<string, string>;

export interface Peer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: unknown;
}
interface Rule {
  ports?: Array<{ port?: number | string; protocol?: string }>;
  to?: Peer[];
  from?: Peer[];
}

const portMatches = (rule: Rule, port: number) =>
  !rule.ports?.length || rule.ports.some((p) => p.port === undefined || p.port === port);

/** Does a peer list admit a pod of the same namespace? No list admits everything. */
const peersMatch = (peers: Peer[] | undefined, pod: PodLabels) =>
  !peers?.length ||
  peers.some((peer) => !peer.namespaceSelector && !peer.ipBlock && selects(peer.podSelector?.matchLabels ?? {}, pod));

/** The policies that isolate a pod in one direction. */
const isolating = (policies: Manifest[], direction: 'Ingress' | 'Egress', pod: PodLabels) =>
  policies.filter(
    (p) =>
      selects(p.spec.podSelector?.matchLabels ?? {}, pod) && (p.spec.policyTypes ?? ['Ingress']).includes(direction),
  );

function allowedBy(
  policies: Manifest[],
  direction: 'Ingress' | 'Egress',
  subject: PodLabels,
  other: PodLabels,
  port: number,
): boolean {
  const applying = isolating(policies, direction, subject);
  // A pod no policy selects for this direction is not isolated.
  if (applying.length === 0) return true;
  const rules: Rule[] = applying.flatMap((p) => (direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []);
  return rules.some(
    (rule) => portMatches(rule, port) && peersMatch(direction === 'Ingress' ? rule.from : rule.to, other),
  );
}

/**
 * Whether the rendered NetworkPolicies let `from` open a TCP connection to
 * `to` on `port` inside the release's namespace: the sender's egress and the
 * receiver's ingress must both allow it, as a CNI enforces them.
 */
export function allowsConnection(policies: Manifest[], from: PodLabels, to: PodLabels, port: number): boolean {
  return allowedBy(policies, 'Egress', from, to, port) && allowedBy(policies, 'Ingress', to, from, port);
}

/** Whether `from` may send to any destination outside the cluster's pods on `port` (an egress rule without peers). */
export function allowsOpenEgress(policies: Manifest[], from: PodLabels, port: number): boolean {
  const applying = isolating(policies, 'Egress', from);
  if (applying.length === 0) return true;
  return applying
    .flatMap((p) => (p.spec.egress ?? []) as Rule[])
    .some((rule) => portMatches(rule, port) && !rule.to?.length);
}

/**
 * The peers a pod's policies admit on `port` in one direction (ingress: sources, egress: destinations),
 * as written, namespace selectors included; 'anyone' when a rule (or no isolation at all) admits every peer.
 */
export function admittedPeers(
  policies: Manifest[],
  direction: 'Ingress' | 'Egress',
  pod: PodLabels,
  port: number,
): Peer[] | 'anyone' {
  const applying = isolating(policies, direction, pod);
  if (applying.length === 0) return 'anyone';
  const rules = applying
    .flatMap((p) => ((direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []) as Rule[])
    .filter((rule) => portMatches(rule, port));
  const peers = rules.map((rule) => (direction === 'Ingress' ? rule.from : rule.to));
  return peers.some((list) => !list?.length) ? 'anyone' : peers.flatMap((list) => list!);
}
