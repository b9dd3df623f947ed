/**
 * InnerTube clients the player request can pretend to be. The WEB client's
 * caption URLs now need a proof-of-origin (PO) token that only a browser can
 * mint (they carry `exp=xpe` and answer empty without it); the Android VR and
 * iOS apps' player responses still list caption URLs that work without one.
 * Versions matter: YouTube answers outdated ones with "unsupported client".
 */
export interface InnerTubeClient {
  /** The `context.client` object sent with every request. */
  context: Record<string, string | number>;
  /** `X-YouTube-Client-Name`: the numeric client id. */
  id: number;
  userAgent: string;
}

export const INNERTUBE_CLIENTS = {
  ANDROID_VR: {
    id: 28,
    context: {
      clientName: 'ANDROID_VR',
      clientVersion: '1.62.27',
      deviceMake: 'Oculus',
      deviceModel: 'Quest 3',
      androidSdkVersion: 32,
      osName: 'Android',
      osVersion: '12L',
    },
    userAgent:
      'com.google.android.apps.youtube.vr.oculus/1.62.27 (Linux; U; Android 12L; eureka-user Build/SQ3A.220605.009.A1) gzip',
  },
  IOS: {
    id: 5,
    context: {
      clientName: 'IOS',
      clientVersion: '20.10.4',
      deviceMake: 'Apple',
      deviceModel: 'iPhone16,2',
      osName: 'iPhone',
      osVersion: '18.3.2.22D82',
    },
    userAgent: 'com.google.ios.youtube/20.10.4 (iPhone16,2; U; CPU iOS 18_3_2 like Mac OS X;)',
  },
  ANDROID: {
    id: 3,
    context: {
      clientName: 'ANDROID',
      clientVersion: '20.10.38',
      androidSdkVersion: 30,
      osName: 'Android',
      osVersion: '11',
    },
    userAgent: 'com.google.android.youtube/20.10.38 (Linux; U; Android 11) gzip',
  },
  WEB: {
    id: 1,
    context: { clientName: 'WEB', clientVersion: '2.20250312.04.00' },
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36',
  },
} as const satisfies Record<string, InnerTubeClient>;

export type ClientName = keyof typeof INNERTUBE_CLIENTS;
export const CLIENT_NAMES = Object.keys(INNERTUBE_CLIENTS) as ClientName[];
/** Those that return usable caption URLs without a PO token, most reliable first. */
export const DEFAULT_CLIENT_ORDER: ClientName[] = ['ANDROID_VR', 'IOS', 'ANDROID'];

/** Parses a comma-separated client list ("ANDROID_VR,IOS"); throws on unknown names. */
export function parseClientOrder(value: string): ClientName[] {
  const names = value
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !(CLIENT_NAMES as string[]).includes(n));
  if (unknown.length)
    throw new Error(`unknown YouTube client(s) ${unknown.join(', ')}; known: ${CLIENT_NAMES.join(', ')}`);
  if (names.length === 0) throw new Error('at least one YouTube client is needed');
  return [...new Set(names)] as ClientName[];
}
