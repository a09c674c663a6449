/**
 * THE layout of the compiled tables in WASM linear memory, field by field. The
 * compiler (`tables.ts`) writes it; `assembly/` reads it through `assembly/layout.ts`,
 * which the build generates from this file (scripts/layout-mirror.ts, run by
 * `npm run build:wasm`; test/compile.test.ts fails when it is stale). `VERSION`, stamped
 * in every table header and compiled into the core, is a hash of every constant here:
 * the loader refuses a core built for another layout. A change of meaning that keeps
 * every value (a section's encoding) bumps `REVISION`.
 *
 * Everything is little-endian u32 unless said otherwise; byte offsets are relative
 * to the table base the engine hands to the core (`bind`), and every section starts
 * on a 4-byte boundary.
 *
 * Index spaces:
 * - pods `0..N-1` in cluster order (the order of ReachabilityMatrix rows); a batch
 *   names pods by this index.
 * - pod classes `0..C-1`: pods that every table treats alike (same namespace, labels,
 *   host-network flag, container ports, for a host-network pod its node, and for a pod
 *   address peers see the address intervals of its addresses; `classes.ts`), numbered
 *   by their first pod, so distinct pods of a small cluster keep their index. Every
 *   bitset is over classes: a class bitset is `W = ceil(C/32)` words, class `c` is
 *   bit `c & 31` of word `c >>> 5`, bits past C are zero. Profiles, named ports and
 *   tier profiles are per class; `O_POD_CLASS` maps a pod to its class, and the
 *   core compares pods (not classes) only for a pod reaching itself.
 * - an endpoint in a batch is a pod index, or `OUTSIDE | row` for an address that
 *   belongs to no pod or for a node: rows `0..INTERVALS-1` number the address
 *   intervals (IPv4 first, then IPv6) cut at every ipBlock / networks boundary, rows
 *   `INTERVALS + k` stand for node k (its host network: every address of its, and
 *   the nodes peers that select it).
 * - profiles per direction (E = egress, I = ingress): the distinct lists of policies
 *   isolating a class, as lists of rules. A class's profile id is `NONE` when it is
 *   not isolated for that direction (no selecting policy, or host-network pods under
 *   `hostNetwork: "host"`).
 * - rules: (peer set, port set) pairs, inlined into each profile's list; `NONE` as
 *   peer set means every peer (pods and outside addresses), `NONE` as port set every
 *   port and protocol.
 * - peer sets: the distinct `from`/`to` lists of rules, NetworkPolicy's first, then
 *   (with cluster-scoped policies) `tierPeerRoom` empty ids for the ones NetworkPolicy
 *   patches append, then the cluster-scoped tiers'. Each has a class bitset: pods matched by a pod peer, plus
 *   pods an ipBlock peer matches by their IPs (every pod under `ipBlockMatchesPods`,
 *   host-network pods always, see `ipBlocksSee`); for a tier's: pods the tiers see
 *   (`tiersSeePod`) a pod peer matches, pods whose address a `networks` peer holds,
 *   and host-network pods on a node a `nodes` peer selects. Peer sets holding an
 *   ipBlock, `networks` or `nodes` peer also have an ip-set index: their bit in every
 *   interval's and node's ip-set bitset (`IPW = ceil(ipSets/32)` words).
 * - tier sides: the cluster-scoped tiers per direction, `k = tier * 2 + side` (0
 *   Admin egress, 1 Admin ingress, 2 Baseline egress, 3 Baseline ingress). Each has
 *   its own profiles (the distinct lists of the tier's policies whose subject holds a
 *   class, in evaluation order) whose rules are scanned in order, first match deciding
 *   (`ACTION_*`). Their header fields are `TIER_BASE + k * TIER_STRIDE + T.*`.
 * - port sets: the distinct `ports` lists. Numeric entries are decided by the port
 *   class of (protocol, port): a class is a maximal run of ports no range boundary
 *   cuts, and carries a bitset over port sets (`PW = ceil(portSets/32)` words) of
 *   those with a numeric entry covering it. Named entries are `nameKey`s
 *   (`nameId * 4 + protocol code`) resolved on the destination pod through its
 *   container ports (`(nameKey, number)` pairs).
 *
 * Design notes:
 * - Pod classes keep the tables linear in pods: a bitset is over classes, which real
 *   clusters have several times fewer of than pods (replicas of a workload share one).
 * - Profiles group classes further: classes that share their isolating policies share
 *   every profile row, whatever their labels (a profile of classes whose named ports
 *   differ is split only when its rules name ports). Policy targets need no bitsets at
 *   all: they only decide each class's profile.
 * - Peer sets are per distinct `from`/`to` list rather than per peer, so a rule is
 *   one bit test; a rule's peers are OR-ed once at compile time.
 * - A flow is decided by scanning its two profiles' inlined rules: one bit of a peer
 *   set and one of a port class per rule, a handful of cache lines, with no
 *   per-port precomputation, so memory stays linear in (peer sets × C).
 * - Before that, a batch screens blocks of flows on the profiles' PEERS rows (the union
 *   of a profile's peer sets): a pod-to-pod flow whose destination no egress rule's
 *   peers hold, or whose source no ingress rule's peers hold, is denied on one bit per
 *   side, read without branches so that many flows' cache misses overlap. Random
 *   traffic between namespaces mostly ends there.
 * - Matrices are built from per-profile rows computed once per (protocol, port)
 *   (the work region), then a class matrix of 32×32 tiles: a tile gathers 32
 *   destination classes' ingress words, transposes them, and ANDs them with 32 source
 *   classes' egress words. A pod's row is its class's row spread over the pods of each
 *   class (`O_CLASS_RUNS`), or a copy of the previous pod's row when both share a
 *   class, with the pod's own bit set by the self-traffic rule. Counts weigh class
 *   cells by class sizes (`O_SIZE_PLANES`) and never build pod rows.
 * - The tiers are ordered first-match lists compiled like NetworkPolicy's: a flow
 *   scans its pod's tier profile (after a screen on the union of its peer sets), a
 *   matrix folds each tier profile's rules in order into an accepted and a denied row
 *   per (protocol, port), and a side's word is `accepted | (rest & ~denied)` where
 *   `rest` is the NetworkPolicy row, or the Baseline tier's `~denied` row when no
 *   NetworkPolicy isolates the pod.
 */

/** Bumped when a section's encoding changes while every other constant stays the same. */
export const REVISION = 8;

/** A `u32` standing for "none / every" (no profile, any peer, any port). */
export const NONE = 0xffffffff;

/** Set on a batch endpoint that is an outside address; the low bits are its interval. */
export const OUTSIDE = 0x80000000;

/** Marks a port set id (in an inlined rule) whose set has named entries to resolve. */
export const NAMED_BIT = 0x80000000;

/** Flag bits of the `FLAGS` header word. */
export const FLAG_SELF_ALLOW = 1;
/** The node-local clause applies (`nodeLocal: "allow"` and the cluster has nodes): NODE_ROWS is written. */
export const FLAG_NODE_LOCAL = 2;

/** Set on a CLASS_NODE entry whose pods are host-network pods (their traffic is their node's). */
export const POD_HOST_BIT = 0x80000000;

/** What a tier rule does when it matches (0: no rule matched). */
export const ACTION_ACCEPT = 1;
export const ACTION_DENY = 2;
export const ACTION_PASS = 3;

/** Size of the table header in u32 words. */
export const HEADER_WORDS = 76;

/** The four tier sides (Admin egress, Admin ingress, Baseline egress, Baseline ingress): `k = tier * 2 + side`. */
export const TIER_SIDES = 4;

/** Header word of tier side `k`'s field `T.X`: `TIER_BASE + k * TIER_STRIDE + T.X`. */
export const TIER_BASE = 48;
export const TIER_STRIDE = 7;

/** The fields of a tier side, relative to its place in the header. */
export const T = {
  /** Its profiles. */
  PROFILES: 0,
  /** `C` u32: each class's profile, or NONE (no policy of the tier holds it as a subject for this direction). */
  O_CLASS_PROFILE: 1,
  /** `PROFILES + 1` u32: CSR offsets, in rules, into RULES. */
  O_PROFILE_START: 2,
  /**
   * Each profile's rules in evaluation order, 4 u32 each: peer set, ip-set index (or
   * NONE), port set (NONE, or its id | NAMED_BIT when it has named entries), action.
   */
  O_PROFILE_RULES: 3,
  /** `PROFILES` u32: a class of each profile; an ingress side's named ports resolve on it alike for all its classes. */
  O_PROFILE_REP: 4,
  /**
   * `PROFILES * W` u32: per profile, the classes some rule's peer set holds; another
   * class matches no rule. Derived, filled by the core like PROFILE_PEERS_E.
   */
  O_PROFILE_PEERS: 5,
  /**
   * `PROFILES * W` u32: per profile, the classes some Accept rule's peer set holds: only
   * there can the tier allow a side NetworkPolicy denies, so the batch screen reads
   * it. Derived, filled by the core.
   */
  O_PROFILE_ACCEPT_PEERS: 6,
} as const;

/** Header word indexes. Counts first, then section byte offsets. */
export const H = {
  VERSION: 0,
  /** N: pods. */
  PODS: 1,
  /** W: u32 words per class bitset. */
  WORDS: 2,
  FLAGS: 3,
  PEER_SETS: 4,
  /** Peer sets that contain an ipBlock (ip-set indexes `0..IP_SETS-1`). */
  IP_SETS: 5,
  /** IPW: words per interval's ip-set bitset. */
  IP_WORDS: 6,
  /** Address intervals over both families. */
  INTERVALS: 7,
  PORT_SETS: 8,
  /** PW: words per port class bitset. */
  PORT_WORDS: 9,
  /** Port classes over all protocols. */
  PORT_CLASSES: 10,
  /** Distinct (peer set, port set) rules, before they are inlined into profiles. */
  RULES: 11,
  PROFILES_E: 12,
  PROFILES_I: 13,
  /** Port sets with named entries; each has a slot of W words in the work region. */
  NAMED_SETS: 14,
  /** Distinct nameKeys (`names * 4`). */
  NAME_KEYS: 15,
  /** `C` u32: egress profile of each class, or NONE. */
  O_CLASS_PROFILE_E: 16,
  /** `C` u32: ingress profile of each class, or NONE. */
  O_CLASS_PROFILE_I: 17,
  /** `PROFILES_E + 1` u32: CSR offsets, in rules, into PROFILE_RULES_E. */
  O_PROFILE_START_E: 18,
  /**
   * Each egress profile's rules, inlined (no indirection per rule), 3 u32 each: peer
   * set (or NONE), ip-set index (or NONE), port set (NONE, or its id | NAMED_BIT when
   * it has named entries).
   */
  O_PROFILE_RULES_E: 19,
  O_PROFILE_START_I: 20,
  O_PROFILE_RULES_I: 21,
  /** `PROFILES_I` u32: a class of each ingress profile; named ports resolve on it alike for all its classes. */
  O_PROFILE_REP_I: 22,
  /** `PEER_SETS * W` u32: class bitset of each peer set. */
  O_PEER_BITS: 23,
  /** `INTERVALS * IPW` u32: the ip sets containing each interval. */
  O_INTERVAL_BITS: 24,
  /** `3 * 65536` u32: port class of (protocol code, port) at `code * 65536 + port`. */
  O_PORT_CLASS_MAP: 25,
  /** `PORT_CLASSES * PW` u32: port sets with a numeric entry covering the class. */
  O_PORT_CLASS_BITS: 26,
  /** `PORT_SETS + 1` u32: CSR offsets into NAMED. */
  O_NAMED_START: 27,
  /** nameKeys of each port set's named entries. */
  O_NAMED: 28,
  /** `PORT_SETS` u32: work-region slot of each port set with named entries, or NONE. */
  O_NAMED_SLOT: 29,
  /** `C + 1` u32: CSR offsets (in pairs) into CLASS_PORTS. */
  O_CLASS_PORT_START: 30,
  /** `(nameKey, number)` pairs: each class's named container ports. */
  O_CLASS_PORTS: 31,
  /** `NAME_KEYS + 1` u32: CSR offsets into NAME_REFS. */
  O_NAME_REF_START: 32,
  /** Port sets naming each nameKey. */
  O_NAME_REFS: 33,
  /** Total table bytes. */
  TOTAL_BYTES: 34,
  /**
   * `PROFILES_E * W` u32: per egress profile, the classes some rule's peer set holds
   * (all classes when a rule admits every peer); a destination outside it is denied
   * without scanning the rules, one bit read instead of one per rule. Derived data:
   * the compiler only reserves it; the core fills it from PEER_BITS on the first
   * `decide` after a `bind`.
   */
  O_PROFILE_PEERS_E: 35,
  /** `PROFILES_I * W` u32: the same per ingress profile, over sources. */
  O_PROFILE_PEERS_I: 36,
  /** Nodes: rows `INTERVALS..INTERVALS+NODES-1` of INTERVAL_BITS, which holds `(INTERVALS + NODES) * IPW` u32. */
  NODES: 37,
  /** Peer sets of the tiers: ids `PEER_SETS - TIER_PEER_SETS..PEER_SETS-1`. */
  TIER_PEER_SETS: 38,
  /** Whether any cluster-scoped policy holds a pod (1) or not (0): without, the core skips every tier step. */
  TIERS: 39,
  /** C: pod classes. */
  CLASSES: 40,
  /** `N` u32: each pod's class. */
  O_POD_CLASS: 41,
  /** `C + 1` u32: CSR offsets (in pairs) into CLASS_RUNS. */
  O_CLASS_RUN_START: 42,
  /** `(first pod, end pod)` pairs: each class's pods as maximal runs of consecutive pod indexes. */
  O_CLASS_RUNS: 43,
  /** P: bit planes of the class sizes (the bit length of the largest class's pod count). */
  SIZE_PLANES: 44,
  /** `P * W` u32: plane `j` holds, per class, bit `j` of its pod count (so a count over a class bitset is `sum 2^j popcnt(bits & plane j)`). */
  O_SIZE_PLANES: 45,
  /**
   * `C` u32: each class's node (its index in the cluster's nodes, `| POD_HOST_BIT` for
   * host-network pods), or NONE when it is not known (classes are split by node under
   * FLAG_NODE_LOCAL). A node endpoint `OUTSIDE | row` (row `>= INTERVALS`) is node
   * `row - INTERVALS`, at the node itself.
   */
  O_CLASS_NODE: 46,
  /**
   * `NODES * 2 * W` u32 under FLAG_NODE_LOCAL (else empty): per node k, row `2k` holds
   * the classes of host-network pods on it, row `2k + 1` every class on it. An isolated
   * side's NetworkPolicy row gains, for an ordinary class, its node's row `2k`; for a
   * host-network class, its node's row `2k + 1` (the node-local clause).
   */
  O_NODE_ROWS: 47,
} as const;

/** The header word of tier side `k`'s field `field` (one of `T`). */
export const tierField = (k: number, field: number): number => TIER_BASE + k * TIER_STRIDE + field;

/**
 * The work region a matrix or count call needs, in u32 words from its base:
 * egress rows (`PROFILES_E * W`), ingress rows (`PROFILES_I * W`), named-port bitsets
 * (`NAMED_SETS * W`), the tier rows (per tier side and profile an accepted and a
 * denied row, `2 * W` each, then one row of scratch), then the port-set match flags
 * (`PORT_SETS` bytes, rounded up to words).
 */
export function workWords(header: Uint32Array): number {
  const w = header[H.WORDS]!;
  let tierRows = 1;
  for (let k = 0; k < TIER_SIDES; k++) tierRows += 2 * header[tierField(k, T.PROFILES)]!;
  return (header[H.PROFILES_E]! + header[H.PROFILES_I]! + header[H.NAMED_SETS]! + tierRows) * w + ((header[H.PORT_SETS]! + 3) >>> 2);
}

/**
 * The class block a matrix call needs after the work region, in u32 words: the class
 * matrix (`C * W`, row `c` the classes class `c` may reach), then `32 * W` ingress
 * codes (one per destination class slot), then a byte per strip of 32 source classes
 * saying whether its rows are made yet (`W` bytes, rounded up to words); see the
 * core's `classMatrix`.
 */
export function classBlockWords(header: Uint32Array): number {
  const w = header[H.WORDS]!;
  return header[H.CLASSES]! * w + 32 * w + ((w + 3) >>> 2);
}

/** Flows per batch chunk through the scratch region. */
export const CHUNK = 65536;

/**
 * The scratch region of a batch, at a fixed base: `CHUNK` u32 sources, `CHUNK` u32
 * destinations, the ports, `CHUNK` u8 verdicts. The ports come packed, `CHUNK` u32
 * `port | protocol code << 16` at `PORT`, or split (the `split` argument of the
 * core's `decide`), `CHUNK` u16 ports at `PORT16` then `CHUNK` u8 protocol codes at
 * `PROTOCOL8`, both inside the packed column's bytes: a batch given as `protocol` and
 * `port` columns is copied, never repacked. The address table of a batch (endpoint
 * codes of its addresses) lives elsewhere.
 */
export const SCRATCH = {
  FROM: 0,
  TO: CHUNK * 4,
  PORT: CHUNK * 8,
  PORT16: CHUNK * 8,
  PROTOCOL8: CHUNK * 10,
  OUT: CHUNK * 12,
  BYTES: CHUNK * 13,
} as const;

/** Matrix kinds the core computes: both sides, the source's egress side only, the destination's ingress side only. */
export const MATRIX_BOTH = 0;
export const MATRIX_EGRESS = 1;
export const MATRIX_INGRESS = 2;

/** FNV-1a over `NAME=value;` of every constant, objects flattened (`H_PODS`), names sorted. */
export function layoutHash(constants: Readonly<Record<string, number | Readonly<Record<string, number>>>>): number {
  const fields = Object.entries(constants).flatMap(([name, value]) =>
    typeof value === "number" ? [`${name}=${value};`] : Object.entries(value).map(([k, v]) => `${name}_${k}=${v};`),
  );
  let h = 2166136261;
  for (const field of fields.sort()) for (let i = 0; i < field.length; i++) h = Math.imul(h ^ field.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/**
 * The layout version: `layoutHash` of every constant above (test/compile.test.ts
 * checks that none is left out).
 */
export const VERSION = layoutHash({
  REVISION,
  NONE,
  OUTSIDE,
  NAMED_BIT,
  FLAG_SELF_ALLOW,
  FLAG_NODE_LOCAL,
  POD_HOST_BIT,
  ACTION_ACCEPT,
  ACTION_DENY,
  ACTION_PASS,
  HEADER_WORDS,
  TIER_SIDES,
  TIER_BASE,
  TIER_STRIDE,
  T,
  H,
  CHUNK,
  SCRATCH,
  MATRIX_BOTH,
  MATRIX_EGRESS,
  MATRIX_INGRESS,
});
