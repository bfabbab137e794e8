// Seeded generator of VPC Lattice access-log lines for a small e-commerce service network.
// Feeds the committed samples (sample-logs/generate.ts) and the benchmarks (any volume, streamed).
import type { CallerKind } from '../shared/identity/types.ts';

/** mulberry32: a tiny, fast 32-bit PRNG. Same seed, same sequence, on every platform. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** An index in [0, size) skewed toward 0: a few hot keys and a long tail, like real traffic. */
  skewedIndex(size: number): number {
    const r = this.next();
    return Math.floor(r * r * r * size);
  }

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)] as T;
  }

  /** `length` lowercase hex digits. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      out += Math.floor(this.next() * 4_294_967_296)
        .toString(16)
        .padStart(8, '0');
    }
    return out.slice(0, length);
  }

  /** A version-4-shaped UUID. */
  uuid(): string {
    const h = this.hex(32);
    const variant = '89ab'[this.int(0, 3)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

const REGION = 'us-east-1';
const ACCOUNT = '111122223333';

export const SAMPLE_NETWORK = {
  region: REGION,
  accountId: ACCOUNT,
  serviceNetworkId: 'sn-0a1b2c3d4e5f60718',
  serviceNetworkArn: `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:servicenetwork/sn-0a1b2c3d4e5f60718`,
  /** The AWS Organization of the network owner: callers in it carry `callerPrincipalOrgID`. */
  organizationId: 'o-e87cb45c05',
  /** The per-account DNS label Lattice puts in every service's generated domain name. */
  dnsSuffix: `7d67968.vpc-lattice-svcs.${REGION}.on.aws`,
} as const;

/** The only VPC that sends unauthenticated (anonymous) traffic: the storefront's SSR tier. */
export const ANONYMOUS_SOURCE_VPC_ID = 'vpc-0f1e2d3c4b5a69788';
/** The one other account whose role calls into the network (a partner, through a RAM share). */
export const CROSS_ACCOUNT_ID = '444455556666';

const VPC = {
  workloads: 'vpc-0a13314c17f463072',
  pci: 'vpc-0c0effe69469b6557',
  edge: 'vpc-0ab8df3c96a4f345f',
  ops: 'vpc-0b23c326e55223c4b',
  hybrid: 'vpc-0f7b1d3bd827508e0',
  legacy: 'vpc-0e8f51593c0b230b3',
  partner: 'vpc-0eeab6a0559098ffd',
  storefront: ANONYMOUS_SOURCE_VPC_ID,
} as const;

export type SampleServiceName =
  | 'order'
  | 'inventory'
  | 'payment'
  | 'catalog'
  | 'user'
  | 'cart'
  | 'shipping';

export interface SampleService {
  name: SampleServiceName;
  id: string;
  arn: string;
  targetGroupArn: string;
  /** The VPC the service's targets run in. */
  destinationVpcId: string;
  targets: readonly string[];
  serverNameIndicator: string;
  /** Target latency range in ms; the generator skews toward the low end with a long tail. */
  latencyMs: readonly [number, number];
}

function service(
  name: SampleServiceName,
  id: string,
  targetGroupId: string,
  destinationVpcId: string,
  targetSubnet: string,
  latencyMs: readonly [number, number],
): SampleService {
  return {
    name,
    id,
    arn: `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:service/${id}`,
    targetGroupArn: `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:targetgroup/${targetGroupId}`,
    destinationVpcId,
    targets: [11, 74, 138].map((host) => `${targetSubnet}.${host}:8080`),
    serverNameIndicator: `${name}-${id.slice(4)}.${SAMPLE_NETWORK.dnsSuffix}`,
    latencyMs,
  };
}

export const SAMPLE_SERVICES: Readonly<Record<SampleServiceName, SampleService>> = {
  order: service(
    'order',
    'svc-05531d0bdc8fb97d0',
    'tg-005d4ff33e64fdbb5',
    VPC.workloads,
    '10.20.1',
    [8, 180],
  ),
  inventory: service(
    'inventory',
    'svc-0f23bbff8d9d088c6',
    'tg-0e930c089346dc16c',
    VPC.workloads,
    '10.20.2',
    [3, 60],
  ),
  payment: service(
    'payment',
    'svc-0bcbf1bccea267be0',
    'tg-00585963adb895354',
    VPC.pci,
    '10.40.1',
    [40, 900],
  ),
  catalog: service(
    'catalog',
    'svc-0a40974812b61bafb',
    'tg-09338c32a5a92d9eb',
    VPC.workloads,
    '10.20.3',
    [2, 45],
  ),
  user: service(
    'user',
    'svc-07776768fcf5f4119',
    'tg-00eaaa8d99e12ec78',
    VPC.workloads,
    '10.20.4',
    [3, 70],
  ),
  cart: service(
    'cart',
    'svc-02c1c9a18060c4b0c',
    'tg-025b881703d189fbd',
    VPC.workloads,
    '10.20.5',
    [4, 90],
  ),
  shipping: service(
    'shipping',
    'svc-00b00ed61b4b05a1d',
    'tg-07d8bf5005d33a678',
    VPC.workloads,
    '10.20.6',
    [10, 250],
  ),
};

/** The Roles Anywhere certificate identity Lattice logs in the `callerX509*` fields. */
export interface SampleX509 {
  subjectCN: string;
  issuerOU: string;
  sanNameCN: string;
  sanDNS: string;
  sanURI: string;
}

export interface SampleCaller {
  name: string;
  kind: CallerKind;
  /** The principal a policy names (role ARN, user ARN), or `anonymous`, as shared/identity does. */
  principal: string;
  /** The raw `callerPrincipal` values Lattice logs: one per STS session, `-` when unsigned. */
  callerPrincipals: readonly string[];
  /** The account of the principal, or of the source VPC for anonymous callers. */
  account: string;
  sourceVpcId: string;
  sourceVpcOwner: string;
  /** First three octets of the caller's subnet. */
  sourceSubnet: string;
  organizationId: string;
  userAgent: string;
  protocol: 'HTTP/1.1' | 'HTTP/2';
  tlsVersion: 'TLSv1.2' | 'TLSv1.3';
  /** One certificate per `callerPrincipals` entry, for Roles Anywhere callers. */
  x509?: readonly SampleX509[];
}

const roleArn = (account: string, role: string) => `arn:aws:iam::${account}:role/${role}`;
const sessionArns = (account: string, role: string, sessions: readonly string[]) =>
  sessions.map((session) => `arn:aws:sts::${account}:assumed-role/${role}/${session}`);

interface CallerSpec {
  name: string;
  sourceVpcId: string;
  sourceSubnet: string;
  userAgent: string;
  protocol?: SampleCaller['protocol'];
  tlsVersion?: SampleCaller['tlsVersion'];
}

function roleCaller(spec: CallerSpec, account: string, role: string, sessions: readonly string[]) {
  return {
    protocol: 'HTTP/1.1',
    tlsVersion: 'TLSv1.3',
    ...spec,
    kind: 'role',
    principal: roleArn(account, role),
    callerPrincipals: sessionArns(account, role, sessions),
    account,
    sourceVpcOwner: account,
    organizationId: account === ACCOUNT ? SAMPLE_NETWORK.organizationId : 'o-4d5c7216aa',
  } satisfies SampleCaller;
}

const WAREHOUSE_CERTS: readonly SampleX509[] = ['01', '02'].map((n) => ({
  subjectCN: `scanner-${n}.warehouse.example.com`,
  issuerOU: 'Warehouse PKI',
  sanNameCN: `scanner-${n}`,
  sanDNS: `scanner-${n}.warehouse.example.com`,
  sanURI: `spiffe://warehouse.example.com/scanner/${n}`,
}));

export const SAMPLE_CALLERS = {
  orderService: roleCaller(
    {
      name: 'order-service',
      sourceVpcId: VPC.workloads,
      sourceSubnet: '10.20.1',
      userAgent: 'Apache-HttpClient/5.3.1 (Java/21.0.5)',
    },
    ACCOUNT,
    'order-service-role',
    [
      '335be2a4e56b95b49c41b096374f527a',
      'fa4c0d37832e3af3783fe2b59392bad1',
      '79b652f215614e85f8d0253d5bd29000',
      'c3639cfa9a30963c69f75e1ff7c56736',
      '55a9d58ad9e890d1ddb6b9d8c8621623',
      '1a3aa3237bd59b4c75b105041a63c148',
    ],
  ),
  cartService: roleCaller(
    {
      name: 'cart-service',
      sourceVpcId: VPC.workloads,
      sourceSubnet: '10.20.5',
      userAgent: 'Go-http-client/2.0',
      protocol: 'HTTP/2',
    },
    ACCOUNT,
    'cart-service-role',
    ['i-07a07791c584cb963', 'i-0aef65d559b7ea758', 'i-0c9986da629a812b5'],
  ),
  shippingService: roleCaller(
    {
      name: 'shipping-service',
      sourceVpcId: VPC.workloads,
      sourceSubnet: '10.20.6',
      userAgent: 'axios/1.7.9',
    },
    ACCOUNT,
    'shipping-service-role',
    ['shipping-status-sync'],
  ),
  storefrontBff: roleCaller(
    {
      name: 'storefront-bff',
      sourceVpcId: VPC.edge,
      sourceSubnet: '10.10.8',
      userAgent: 'okhttp/4.12.0',
      protocol: 'HTTP/2',
    },
    ACCOUNT,
    'storefront-bff-role',
    [
      'cb32d699a868a6d8af30f059671a4a6a',
      '8f46ef7449cd3d4239f0cd97ec0a9689',
      '4ba4f8eda11a6ad80005bc51b68fa288',
      'f5c84da322c75ee8170067c0edb5c170',
    ],
  ),
  reportingBot: {
    name: 'reporting-bot',
    kind: 'user',
    principal: `arn:aws:iam::${ACCOUNT}:user/ops/reporting-bot`,
    callerPrincipals: [`arn:aws:iam::${ACCOUNT}:user/ops/reporting-bot`],
    account: ACCOUNT,
    sourceVpcId: VPC.ops,
    sourceVpcOwner: ACCOUNT,
    sourceSubnet: '10.30.2',
    organizationId: SAMPLE_NETWORK.organizationId,
    userAgent: 'python-requests/2.32.3',
    protocol: 'HTTP/1.1',
    tlsVersion: 'TLSv1.2',
  } satisfies SampleCaller,
  partnerCatalogSync: roleCaller(
    {
      name: 'partner-catalog-sync',
      sourceVpcId: VPC.partner,
      sourceSubnet: '172.31.14',
      userAgent: 'python-requests/2.31.0',
      tlsVersion: 'TLSv1.2',
    },
    CROSS_ACCOUNT_ID,
    'partner-catalog-sync',
    ['botocore-session-1763596800', 'botocore-session-1763683200'],
  ),
  warehouseScanner: {
    ...roleCaller(
      {
        name: 'warehouse-scanner',
        sourceVpcId: VPC.hybrid,
        sourceSubnet: '10.50.0',
        userAgent: 'WarehouseScanner/2.8 (aws_signing_helper/1.4.0)',
        tlsVersion: 'TLSv1.2',
      },
      ACCOUNT,
      'warehouse-scanner-role',
      // Roles Anywhere names the session after the certificate's serial number.
      ['f656e473a47e787d48041a83ab8f71c074738b04', 'e1941afddc9c25b33e4d11f9d7d9223cde63a2fd'],
    ),
    x509: WAREHOUSE_CERTS,
  } satisfies SampleCaller,
  legacyBatch: roleCaller(
    {
      name: 'legacy-batch',
      sourceVpcId: VPC.legacy,
      sourceSubnet: '10.60.3',
      userAgent: 'Java/1.8.0_392',
      tlsVersion: 'TLSv1.2',
    },
    ACCOUNT,
    'legacy-batch-role',
    ['i-07e30f0abcb71b0c5', 'i-09f1a86d9e40a3fe3'],
  ),
  storefrontSsr: {
    name: 'storefront-ssr (anonymous)',
    kind: 'anonymous',
    principal: 'anonymous',
    callerPrincipals: ['-'],
    account: ACCOUNT,
    sourceVpcId: VPC.storefront,
    sourceVpcOwner: ACCOUNT,
    sourceSubnet: '10.70.4',
    organizationId: '-',
    userAgent: 'Mozilla/5.0 (compatible; storefront-ssr/3.4.1; +https://shop.example.com)',
    protocol: 'HTTP/1.1',
    tlsVersion: 'TLSv1.3',
  } satisfies SampleCaller,
} as const satisfies Record<string, SampleCaller>;

type PathMaker = (random: SeededRandom) => string;

export interface SampleCall {
  caller: SampleCaller;
  service: SampleService;
  method: string;
  /** The path family as a policy should grant it: query stripped, `{name}` for a varying segment. */
  pathTemplate: string;
  /** `grant`: the traffic proves a need. `deny`: every request is a 403 auth denial. */
  expected: 'grant' | 'deny';
  /** Relative share of the traffic of the calls active in that hour (about % of the day). */
  weight: number;
  /** UTC hours the call runs in (a nightly job); every hour when absent. */
  activeUtcHours?: readonly number[];
  /** Builds one request's path, with its query string if the call sends one. */
  makePath: PathMaker;
  /** Whether a few requests carry a stray `?fields=summary` or a trailing slash. */
  hasPathVariants: boolean;
  /** Response code → relative weight. A `deny` call always answers 403. */
  responseCodes: Readonly<Record<number, number>>;
  bytesReceived: readonly [number, number];
  bytesSent: readonly [number, number];
}

const CATEGORIES = 'shoes outdoor electronics kitchen toys books garden beauty'.split(' ');
const FIRST_NAMES = (
  'amelia ben carla dev elena felix grace hiro ines jonas kofi lena marco nadia omar priya quinn ' +
  'rosa sven tara umar vera wei ximena yusuf zoe aaron bianca chen dora emil farah gus hana ivan ' +
  'jade kai lucia mateo nora'
).split(' ');
const LAST_NAMES = 'nguyen smith garcia okafor muller rossi tanaka silva kowalski haddad'.split(
  ' ',
);
/** 400 usernames for the per-user preferences path family: templating should learn `{username}`. */
export const SAMPLE_USERNAMES: readonly string[] = FIRST_NAMES.flatMap((first) =>
  LAST_NAMES.map((last) => `${first}.${last}`),
);

/** Values for the `{name}` segments of path templates: a few hot keys and a long tail. */
const SEGMENT_VALUES: Readonly<Record<string, PathMaker>> = {
  skuId: (r) => `sku-${10_007 + r.skewedIndex(3_000) * 29}`,
  productId: (r) => String(100_003 + r.skewedIndex(5_000) * 17),
  userId: (r) => String(1_000_033 + r.skewedIndex(20_000) * 101),
  orderId: (r) => String(r.int(8_100_000, 8_399_999)),
  // Uniform, unlike the ids: every user has preferences, so hundreds of distinct paths appear.
  username: (r) => SAMPLE_USERNAMES[r.int(0, SAMPLE_USERNAMES.length - 1)] ?? '',
  paymentId: (r) => r.uuid(),
  cartId: (r) => r.uuid(),
  reservationId: (r) => r.uuid(),
};

/** Compiles `/a/{skuId}/b` into a maker that fills each `{name}` from SEGMENT_VALUES. */
function pathMaker(template: string, query: PathMaker | undefined): PathMaker {
  const makers = template.split(/\{(\w+)\}/).map((part, index): PathMaker => {
    if (index % 2 === 0) return () => part;
    const maker = SEGMENT_VALUES[part];
    if (!maker) throw new Error(`no sample values for {${part}} in ${template}`);
    return maker;
  });
  return (random) => {
    let path = '';
    for (const maker of makers) path += maker(random);
    return query ? `${path}?${query(random)}` : path;
  };
}

const isoDate = (r: SeededRandom) => `2026-11-${r.pick(['18', '19', '20', '21'])}`;
const OK_GET = { 200: 994, 500: 3, 503: 3 };

type CallDetails = Partial<
  Pick<SampleCall, 'expected' | 'activeUtcHours' | 'responseCodes' | 'bytesReceived' | 'bytesSent'>
> & { query?: PathMaker };

/** One call of the scenario; `route` is `METHOD /path/template`. */
function call(
  caller: SampleCaller,
  target: SampleService,
  route: string,
  weight: number,
  details: CallDetails = {},
): SampleCall {
  const [method = '', pathTemplate = ''] = route.split(' ');
  const { query, ...overrides } = details;
  return {
    caller,
    service: target,
    method,
    pathTemplate,
    expected: 'grant',
    weight,
    makePath: pathMaker(pathTemplate, query),
    hasPathVariants: method === 'GET' && !query,
    responseCodes: OK_GET,
    bytesReceived: method === 'GET' ? [0, 0] : [180, 1_400],
    bytesSent: [300, 4_000],
    ...overrides,
  };
}

const C = SAMPLE_CALLERS;
const S = SAMPLE_SERVICES;

/** Every call in the scenario. */
export const SAMPLE_CALLS: readonly SampleCall[] = [
  call(C.orderService, S.inventory, 'GET /api/v1/inventory/{skuId}', 12, {
    responseCodes: { 200: 975, 404: 20, 500: 2, 503: 3 },
    bytesSent: [180, 420],
  }),
  call(C.orderService, S.inventory, 'POST /api/v1/inventory/reservations', 5, {
    responseCodes: { 201: 975, 409: 20, 503: 5 },
    bytesSent: [140, 260],
  }),
  call(C.orderService, S.payment, 'POST /api/v1/payments', 5, {
    responseCodes: { 201: 950, 402: 25, 500: 8, 502: 6, 503: 4, 504: 7 },
    bytesReceived: [600, 1_800],
    bytesSent: [350, 900],
  }),
  call(C.orderService, S.payment, 'GET /api/v1/payments/{paymentId}', 3, {
    responseCodes: { 200: 950, 404: 30, 500: 10, 503: 10 },
    bytesSent: [400, 1_100],
  }),
  call(C.orderService, S.user, 'GET /api/v1/users/{userId}', 6, {
    responseCodes: { 200: 986, 404: 10, 500: 2, 503: 2 },
    bytesSent: [500, 1_600],
  }),
  call(C.orderService, S.shipping, 'POST /api/v1/shipments', 3, {
    responseCodes: { 201: 990, 422: 6, 503: 4 },
  }),
  call(C.cartService, S.catalog, 'GET /api/v1/products/{productId}', 10, {
    responseCodes: { 200: 978, 404: 20, 503: 2 },
    bytesSent: [900, 6_500],
  }),
  call(C.cartService, S.catalog, 'GET /api/v1/products', 4, {
    query: (r) => `category=${r.pick(CATEGORIES)}&page=${r.int(1, 5)}`,
    bytesSent: [4_000, 48_000],
  }),
  call(C.cartService, S.user, 'GET /api/v1/users/{username}/preferences', 10, {
    responseCodes: { 200: 955, 404: 40, 500: 2, 503: 3 },
    bytesSent: [200, 900],
  }),
  call(C.cartService, S.inventory, 'GET /api/v1/inventory/{skuId}', 4, {
    responseCodes: { 200: 980, 404: 18, 503: 2 },
    bytesSent: [180, 420],
  }),
  // A cleanup path in cart-service that was never granted: denied every time.
  call(C.cartService, S.inventory, 'DELETE /api/v1/inventory/reservations/{reservationId}', 0.6, {
    expected: 'deny',
  }),
  call(C.shippingService, S.order, 'GET /api/v1/orders/{orderId}', 5, {
    responseCodes: { 200: 982, 404: 15, 503: 3 },
    bytesSent: [800, 3_200],
  }),
  call(C.shippingService, S.order, 'PATCH /api/v1/orders/{orderId}/status', 3, {
    responseCodes: { 200: 985, 409: 12, 503: 3 },
    bytesReceived: [60, 140],
    bytesSent: [120, 300],
  }),
  call(C.storefrontBff, S.cart, 'GET /api/v1/carts/{cartId}', 6, {
    responseCodes: { 200: 970, 404: 26, 503: 4 },
    bytesSent: [300, 5_000],
  }),
  call(C.storefrontBff, S.cart, 'POST /api/v1/carts/{cartId}/items', 3, {
    responseCodes: { 201: 985, 400: 10, 503: 5 },
    bytesReceived: [90, 260],
  }),
  call(C.storefrontBff, S.cart, 'DELETE /api/v1/carts/{cartId}/items/{skuId}', 1, {
    responseCodes: { 204: 990, 404: 10 },
    bytesSent: [0, 0],
  }),
  call(C.storefrontBff, S.order, 'POST /api/v1/orders', 2, {
    responseCodes: { 201: 975, 400: 10, 500: 5, 503: 10 },
    bytesReceived: [700, 2_600],
    bytesSent: [400, 1_200],
  }),
  call(C.storefrontBff, S.catalog, 'GET /api/v2/products/{productId}', 5, {
    responseCodes: { 200: 978, 404: 20, 503: 2 },
    bytesSent: [1_100, 7_800],
  }),
  call(C.reportingBot, S.order, 'GET /api/v1/reports/daily-sales', 0.4, {
    query: (r) => `date=${isoDate(r)}`,
    bytesSent: [20_000, 160_000],
  }),
  call(C.reportingBot, S.payment, 'GET /api/v1/reports/settlements', 0.3, {
    query: (r) => `date=${isoDate(r)}`,
    responseCodes: { 200: 970, 500: 15, 503: 15 },
    bytesSent: [15_000, 90_000],
  }),
  call(C.partnerCatalogSync, S.catalog, 'GET /api/v1/products', 1, {
    query: (r) => `updatedSince=${isoDate(r)}T00:00:00Z&limit=500`,
    bytesSent: [60_000, 240_000],
  }),
  call(C.partnerCatalogSync, S.catalog, 'GET /api/v1/products/{productId}', 2, {
    responseCodes: { 200: 975, 404: 23, 503: 2 },
    bytesSent: [900, 6_500],
  }),
  call(C.storefrontSsr, S.catalog, 'GET /api/v1/products/{productId}', 6, {
    responseCodes: { 200: 975, 404: 23, 503: 2 },
    bytesSent: [900, 6_500],
  }),
  call(C.storefrontSsr, S.catalog, 'GET /api/v1/products', 2, {
    query: (r) => `category=${r.pick(CATEGORIES)}`,
    bytesSent: [4_000, 48_000],
  }),
  call(C.warehouseScanner, S.inventory, 'GET /api/v1/inventory/{skuId}', 1.5, {
    responseCodes: { 200: 985, 404: 15 },
    bytesSent: [180, 420],
  }),
  call(C.warehouseScanner, S.inventory, 'POST /api/v1/inventory/adjustments', 1, {
    responseCodes: { 201: 990, 422: 10 },
    bytesReceived: [120, 400],
    bytesSent: [90, 200],
  }),
  // The nightly settlement job lost its access when payment moved to AWS_IAM: a 403 storm at 02:00.
  call(C.legacyBatch, S.payment, 'POST /api/v1/payments/reconcile', 100, {
    expected: 'deny',
    activeUtcHours: [2],
  }),
];

/** Relative request rate by UTC hour: a US-centric shop, busiest in the US afternoon and evening. */
export const DIURNAL_WEIGHTS: readonly number[] = [
  1.0, 0.9, 0.75, 0.6, 0.45, 0.35, 0.3, 0.3, 0.35, 0.45, 0.6, 0.75, 0.9, 1.05, 1.2, 1.3, 1.35, 1.4,
  1.4, 1.4, 1.35, 1.3, 1.2, 1.1,
];

export type Malformation =
  | 'truncated-json'
  | 'not-json'
  | 'missing-serviceArn'
  | 'non-numeric-responseCode';

export const MALFORMATIONS: readonly Malformation[] = [
  'truncated-json',
  'not-json',
  'missing-serviceArn',
  'non-numeric-responseCode',
];

export interface SampleLogOptions {
  seed: number;
  /** Well-formed request lines to produce (malformed lines come on top). */
  requests: number;
  /** Start of the time window; requests spread over it following DIURNAL_WEIGHTS. */
  start: Date;
  hours: number;
  /** After every this many requests, one malformed line (the kinds in MALFORMATIONS, in turn). */
  malformedEvery?: number;
}

export type SampleEntry =
  | {
      kind: 'request';
      line: string;
      call: SampleCall;
      startTime: string;
      requestPath: string;
      responseCode: number;
      isAuthDenied: boolean;
    }
  | { kind: 'malformed'; line: string; malformation: Malformation; startTime: string };

function cumulative(weights: readonly number[]): Float64Array {
  const sums = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((weight, index) => {
    total += weight;
    sums[index] = total;
  });
  return sums;
}

function pickWeighted(sums: Float64Array, random: SeededRandom): number {
  const target = random.next() * (sums[sums.length - 1] ?? 0);
  let index = 0;
  while (index < sums.length - 1 && (sums[index] ?? 0) <= target) index++;
  return index;
}

interface CompiledCall {
  call: SampleCall;
  codes: number[];
  codeSums: Float64Array;
}
interface ActiveCalls {
  calls: CompiledCall[];
  sums: Float64Array;
}

/** Per UTC hour, the calls that run in it with their cumulative weights, built once. */
const CALLS_BY_UTC_HOUR: readonly ActiveCalls[] = Array.from({ length: 24 }, (_, hour) => {
  const calls = SAMPLE_CALLS.filter((c) => c.activeUtcHours?.includes(hour) ?? true).map((c) => {
    const entries = Object.entries(c.responseCodes);
    return {
      call: c,
      codes: entries.map(([code]) => Number(code)),
      codeSums: cumulative(entries.map(([, weight]) => weight)),
    };
  });
  return { calls, sums: cumulative(calls.map(({ call: c }) => c.weight)) };
});

function validateOptions(options: SampleLogOptions): void {
  const { requests, hours, start, malformedEvery } = options;
  if (!Number.isInteger(requests) || requests < 0) {
    throw new RangeError(`requests must be a non-negative integer, got ${requests}`);
  }
  if (!(hours > 0)) throw new RangeError(`hours must be positive, got ${hours}`);
  if (Number.isNaN(start.getTime())) throw new RangeError('start must be a valid Date');
  if (malformedEvery !== undefined && !(Number.isInteger(malformedEvery) && malformedEvery > 0)) {
    throw new RangeError(`malformedEvery must be a positive integer, got ${malformedEvery}`);
  }
}

/**
 * Yields the sample traffic as entries (line plus what it stands for), in roughly ascending
 * startTime: requests follow DIURNAL_WEIGHTS with up to a second of jitter, as Lattice's own
 * delivery is only roughly ordered.
 */
export function* generateSampleEntries(options: SampleLogOptions): Generator<SampleEntry> {
  validateOptions(options);
  const { requests, malformedEvery } = options;
  const random = new SeededRandom(options.seed);
  const startMs = options.start.getTime();
  const endMs = startMs + options.hours * 3_600_000;

  // Hour segments of the window, weighted by their UTC hour.
  const segmentCount = Math.ceil(options.hours);
  const segmentHours: number[] = [];
  const segmentWeights: number[] = [];
  for (let s = 0; s < segmentCount; s++) {
    const hour = new Date(startMs + s * 3_600_000).getUTCHours();
    segmentHours.push(hour);
    segmentWeights.push((DIURNAL_WEIGHTS[hour] ?? 1) * Math.min(1, options.hours - s));
  }
  const segmentSums = cumulative(segmentWeights);
  const totalWeight = segmentSums[segmentCount - 1] ?? 0;

  let segment = 0;
  let lastSecond = Number.NaN;
  let lastStartTime = '';
  const formatTime = (ms: number): string => {
    const second = Math.floor(ms / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      lastStartTime = `${new Date(second * 1000).toISOString().slice(0, 19)}Z`;
    }
    return lastStartTime;
  };

  const drawRequest = (hour: number, startTime: string) => {
    const { calls, sums } = CALLS_BY_UTC_HOUR[hour] as ActiveCalls;
    const { call: c, codes, codeSums } = calls[pickWeighted(sums, random)] as CompiledCall;
    let requestPath = c.makePath(random);
    if (c.hasPathVariants) {
      const variant = random.next();
      if (variant < 0.01) requestPath += '/';
      else if (variant < 0.025) requestPath += '?fields=summary';
    }
    const isAuthDenied = c.expected === 'deny';
    const responseCode = isAuthDenied ? 403 : (codes[pickWeighted(codeSums, random)] ?? 200);
    return {
      call: c,
      requestPath,
      responseCode,
      isAuthDenied,
      line: formatLine(c, startTime, requestPath, responseCode, isAuthDenied, random),
    };
  };

  let malformedCount = 0;
  for (let k = 0; k < requests; k++) {
    const u = ((k + 0.5) / requests) * totalWeight;
    while (segment < segmentCount - 1 && (segmentSums[segment] ?? 0) <= u) segment++;
    const segmentStart = (segmentSums[segment] ?? 0) - (segmentWeights[segment] ?? 0);
    const fraction = (u - segmentStart) / (segmentWeights[segment] || 1);
    const jitter = random.int(-900, 900);
    const ms = Math.min(
      endMs - 1,
      Math.max(startMs, startMs + (segment + fraction) * 3_600_000 + jitter),
    );
    const startTime = formatTime(ms);
    const hour = segmentHours[segment] ?? 0;

    yield { kind: 'request', startTime, ...drawRequest(hour, startTime) };

    if (malformedEvery !== undefined && (k + 1) % malformedEvery === 0) {
      const malformation = MALFORMATIONS[malformedCount % MALFORMATIONS.length] as Malformation;
      malformedCount++;
      const base = drawRequest(hour, startTime).line;
      yield {
        kind: 'malformed',
        malformation,
        startTime,
        line: malform(base, malformation, startTime),
      };
    }
  }
}

/** The sample traffic as JSON lines (no trailing newline in each string). */
export function* generateAccessLogLines(options: SampleLogOptions): Generator<string> {
  for (const entry of generateSampleEntries(options)) yield entry.line;
}

function malform(line: string, malformation: Malformation, startTime: string): string {
  switch (malformation) {
    case 'truncated-json':
      return line.slice(0, Math.floor(line.length * 0.6));
    case 'not-json':
      return `${startTime} lattice-log-relay[2231]: WARN delivery retried after connection reset by peer`;
    case 'missing-serviceArn':
      return line.replace(/"serviceArn":"[^"]*",/, '');
    case 'non-numeric-responseCode':
      return line.replace(/"responseCode":\d+/, '"responseCode":"abc"');
  }
}

const DENIED_BODY_BYTES: readonly [number, number] = [290, 330];

/**
 * One access-log line with every documented field (aws-contracts §1) plus a few Lattice writes
 * beyond it (`callerPrincipalOrgID`, `sslCipher`), which the parser must keep as unknown fields.
 * A template string, not JSON.stringify: every value here is plain ASCII without quotes or
 * backslashes, and benchmarks generate gigabytes of these.
 */
function formatLine(
  c: SampleCall,
  startTime: string,
  requestPath: string,
  responseCode: number,
  isAuthDenied: boolean,
  random: SeededRandom,
): string {
  const { caller, service: svc } = c;
  const session = random.int(0, caller.callerPrincipals.length - 1);
  const callerPrincipal = caller.callerPrincipals[session] ?? '-';
  const x509 = caller.x509?.[session];

  let requestToTarget = 0;
  let responseFromTarget = 0;
  let duration: number;
  let bytesSent: number;
  if (isAuthDenied) {
    duration = random.int(1, 4);
    bytesSent = random.int(DENIED_BODY_BYTES[0], DENIED_BODY_BYTES[1]);
  } else {
    const [low, high] = svc.latencyMs;
    const r = random.next();
    requestToTarget =
      responseCode === 504
        ? random.int(29_000, 30_000)
        : Math.round(low + (high - low) * r * r * r);
    responseFromTarget = random.int(0, 2);
    duration = requestToTarget + responseFromTarget + random.int(1, 3);
    bytesSent =
      responseCode >= 400 ? random.int(110, 260) : random.int(c.bytesSent[0], c.bytesSent[1]);
  }
  const bytesReceived = random.int(c.bytesReceived[0], c.bytesReceived[1]);
  const sourceIpPort = `${caller.sourceSubnet}.${random.int(4, 250)}:${random.int(32_768, 60_999)}`;
  const reached = !isAuthDenied;
  const targetIpPort = reached ? (svc.targets[random.int(0, svc.targets.length - 1)] ?? '-') : '-';
  const sslCipher =
    caller.tlsVersion === 'TLSv1.3' ? 'TLS_AES_128_GCM_SHA256' : 'ECDHE-RSA-AES128-GCM-SHA256';

  return `{"startTime":"${startTime}","duration":${duration},"requestToTargetDuration":${requestToTarget},"responseFromTargetDuration":${responseFromTarget},"requestMethod":"${c.method}","requestPath":"${requestPath}","protocol":"${caller.protocol}","responseCode":${responseCode},"grpcResponseCode":"-","bytesReceived":${bytesReceived},"bytesSent":${bytesSent},"userAgent":"${caller.userAgent}","serverNameIndicator":"${svc.serverNameIndicator}","sourceIpPort":"${sourceIpPort}","targetIpPort":"${targetIpPort}","sourceVpcId":"${caller.sourceVpcId}","sourceVpcArn":"arn:aws:ec2:${REGION}:${caller.sourceVpcOwner}:vpc/${caller.sourceVpcId}","destinationVpcId":"${reached ? svc.destinationVpcId : '-'}","serviceNetworkArn":"${SAMPLE_NETWORK.serviceNetworkArn}","serviceArn":"${svc.arn}","targetGroupArn":"${reached ? svc.targetGroupArn : '-'}","tlsVersion":"${caller.tlsVersion}","sslCipher":"${sslCipher}","callerPrincipal":"${callerPrincipal}","callerPrincipalOrgID":"${caller.organizationId}","callerPrincipalTags":"-","callerX509SubjectCN":"${x509?.subjectCN ?? '-'}","callerX509IssuerOU":"${x509?.issuerOU ?? '-'}","callerX509SANNameCN":"${x509?.sanNameCN ?? '-'}","callerX509SANDNS":"${x509?.sanDNS ?? '-'}","callerX509SANURI":"${x509?.sanURI ?? '-'}","authDeniedReason":"${isAuthDenied ? 'Service' : '-'}","failureReason":"${isAuthDenied ? 'ClientAccessDenied' : '-'}","requestId":"${random.uuid()}"}`;
}
