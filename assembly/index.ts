// The netpol core: verdicts over the compiled tables of src/compile/layout.ts, the
// cluster-scoped tiers (Admin, Baseline) around NetworkPolicy's isolation.
//
// Index spaces: a batch names pods (`0..N-1`); every table row is over pod classes
// (`0..C-1`, `W` words per class bitset), reached through the pod's class. Only a pod
// reaching itself compares pods. Row operations use WebAssembly SIMD (v128).
//
// Contract: only numeric functions cross the boundary; every pointer is a byte
// offset into linear memory that the host laid out (tables, scratch, work, output).
// Nothing here allocates (built with `--runtime stub`), so the host owns all memory
// and may grow it between calls.
import {
  VERSION, NONE, OUTSIDE, NAMED_BIT, FLAG_SELF_ALLOW, FLAG_NODE_LOCAL, POD_HOST_BIT, H_INTERVALS, H_O_CLASS_NODE, H_O_NODE_ROWS,
  H_VERSION, H_PODS, H_CLASSES, H_WORDS, H_O_POD_CLASS, H_O_CLASS_RUN_START, H_O_CLASS_RUNS, H_SIZE_PLANES, H_O_SIZE_PLANES, H_FLAGS, H_PORT_SETS, H_IP_WORDS, H_PORT_WORDS,
  H_PROFILES_E, H_PROFILES_I, H_NAMED_SETS,
  H_O_CLASS_PROFILE_E, H_O_CLASS_PROFILE_I, H_O_PROFILE_START_E, H_O_PROFILE_RULES_E,
  H_O_PROFILE_START_I, H_O_PROFILE_RULES_I, H_O_PROFILE_REP_I, H_O_PEER_BITS,
  H_O_INTERVAL_BITS, H_O_PORT_CLASS_MAP, H_O_PORT_CLASS_BITS, H_O_NAMED_START, H_O_NAMED,
  H_O_NAMED_SLOT, H_O_CLASS_PORT_START, H_O_CLASS_PORTS, H_O_NAME_REF_START, H_O_NAME_REFS,
  H_O_PROFILE_PEERS_E, H_O_PROFILE_PEERS_I, H_TIERS,
  TIER_BASE, TIER_STRIDE, TIER_SIDES, T_PROFILES, T_O_CLASS_PROFILE, T_O_PROFILE_START, T_O_PROFILE_RULES,
  T_O_PROFILE_REP, T_O_PROFILE_PEERS, T_O_PROFILE_ACCEPT_PEERS, ACTION_ACCEPT, ACTION_DENY,
  SCRATCH_FROM, SCRATCH_TO, SCRATCH_PORT, SCRATCH_PORT16, SCRATCH_PROTOCOL8, SCRATCH_OUT,
  MATRIX_EGRESS, MATRIX_INGRESS,
} from "./layout";

// the bound tables: counts and absolute section pointers, read from the header by `bind`
let N: u32 = 0;
let C: u32 = 0;
// words per class bitset, and per pod row of a matrix
let W: u32 = 0;
let PW: u32 = 0;
let podClass: usize = 0;
let classRunStart: usize = 0;
let classRuns: usize = 0;
let sizePlanes: u32 = 0;
let sizePlaneBits: usize = 0;
let selfAllow: bool = false;
let portSets: u32 = 0;
let ipWords: u32 = 0;
let portWords: u32 = 0;
let profilesE: u32 = 0;
let profilesI: u32 = 0;
let namedSets: u32 = 0;
let classProfileE: usize = 0;
let classProfileI: usize = 0;
let profileStartE: usize = 0;
let profileRulesE: usize = 0;
let profileStartI: usize = 0;
let profileRulesI: usize = 0;
let profileRepI: usize = 0;
let profilePeersE: usize = 0;
let profilePeersI: usize = 0;
let peerBits: usize = 0;
let intervalBits: usize = 0;
let portClassMap: usize = 0;
let portClassBits: usize = 0;
let namedStart: usize = 0;
let named: usize = 0;
let namedSlot: usize = 0;
let classPortStart: usize = 0;
let classPorts: usize = 0;
let nameRefStart: usize = 0;
let nameRefs: usize = 0;
// mask of the valid bits in a class bitset's last word
let lastMask: u32 = 0;
// whether any tier policy holds a pod: without, every tier step is skipped
let tiersOn: bool = false;
// the node-local clause (FLAG_NODE_LOCAL): where each class runs, and each node's rows
let nodeLocalOn: bool = false;
let classNode: usize = 0;
let nodeRows: usize = 0;
let intervalCount: u32 = 0;

// per tier side k (see layout.ts), its header fields T_* (counts as read, offsets made absolute)
const TIER_FIELDS: usize = memory.data(<i32>(TIER_SIDES * TIER_STRIDE) << 2);

@inline function tier(k: u32, field: u32): usize {
  return <usize>load<u32>(TIER_FIELDS + (<usize>(k * TIER_STRIDE + field) << 2));
}

// one 32×32 bit tile for matrix and count calls
const TILE: usize = memory.data(128);

/** The layout version this core reads. */
export function layoutVersion(): u32 {
  return VERSION;
}

/** The first byte the host may use: everything below holds the core's own data. */
export function heapBase(): usize {
  return __heap_base;
}

@inline function header(base: usize, i: u32): u32 {
  return load<u32>(base + (<usize>i << 2));
}

@inline function section(base: usize, i: u32): usize {
  return base + <usize>header(base, i);
}

/** Binds the tables at `base`; returns 0, or 1 when their layout version is not this core's. */
export function bind(base: usize): u32 {
  if (header(base, H_VERSION) != VERSION) return 1;
  N = header(base, H_PODS);
  C = header(base, H_CLASSES);
  W = header(base, H_WORDS);
  PW = (N + 31) >>> 5;
  podClass = section(base, H_O_POD_CLASS);
  classRunStart = section(base, H_O_CLASS_RUN_START);
  classRuns = section(base, H_O_CLASS_RUNS);
  sizePlanes = header(base, H_SIZE_PLANES);
  sizePlaneBits = section(base, H_O_SIZE_PLANES);
  selfAllow = (header(base, H_FLAGS) & FLAG_SELF_ALLOW) != 0;
  portSets = header(base, H_PORT_SETS);
  ipWords = header(base, H_IP_WORDS);
  portWords = header(base, H_PORT_WORDS);
  profilesE = header(base, H_PROFILES_E);
  profilesI = header(base, H_PROFILES_I);
  namedSets = header(base, H_NAMED_SETS);
  classProfileE = section(base, H_O_CLASS_PROFILE_E);
  classProfileI = section(base, H_O_CLASS_PROFILE_I);
  profileStartE = section(base, H_O_PROFILE_START_E);
  profileRulesE = section(base, H_O_PROFILE_RULES_E);
  profileStartI = section(base, H_O_PROFILE_START_I);
  profileRulesI = section(base, H_O_PROFILE_RULES_I);
  profileRepI = section(base, H_O_PROFILE_REP_I);
  profilePeersE = section(base, H_O_PROFILE_PEERS_E);
  profilePeersI = section(base, H_O_PROFILE_PEERS_I);
  peerBits = section(base, H_O_PEER_BITS);
  intervalBits = section(base, H_O_INTERVAL_BITS);
  portClassMap = section(base, H_O_PORT_CLASS_MAP);
  portClassBits = section(base, H_O_PORT_CLASS_BITS);
  namedStart = section(base, H_O_NAMED_START);
  named = section(base, H_O_NAMED);
  namedSlot = section(base, H_O_NAMED_SLOT);
  classPortStart = section(base, H_O_CLASS_PORT_START);
  classPorts = section(base, H_O_CLASS_PORTS);
  nameRefStart = section(base, H_O_NAME_REF_START);
  nameRefs = section(base, H_O_NAME_REFS);
  lastMask = (C & 31) == 0 ? 0xffffffff : (<u32>1 << (C & 31)) - 1;
  tiersOn = header(base, H_TIERS) != 0;
  nodeLocalOn = (header(base, H_FLAGS) & FLAG_NODE_LOCAL) != 0;
  classNode = section(base, H_O_CLASS_NODE);
  nodeRows = section(base, H_O_NODE_ROWS);
  intervalCount = header(base, H_INTERVALS);
  for (let k: u32 = 0; k < TIER_SIDES; k++) {
    for (let f: u32 = 0; f < TIER_STRIDE; f++) {
      const v = header(base, TIER_BASE + k * TIER_STRIDE + f);
      store<u32>(TIER_FIELDS + (<usize>(k * TIER_STRIDE + f) << 2), f == T_PROFILES ? v : <u32>(base + <usize>v));
    }
  }
  screenReady = false;
  return 0;
}

// whether the PROFILE_PEERS rows of the bound tables are filled: by the first batch, not by
// `bind`, so that updates followed by matrices alone never pay for them
let screenReady: bool = false;

/**
 * Says that the host wrote over the PROFILE_PEERS rows (it lends them out as the work
 * region of a matrix or count call): the next `decide` fills them again.
 */
export function screenLost(): void {
  screenReady = false;
}

/**
 * Each profile's row at `rows`: the union of its rules' peer-set class bitsets, all
 * classes when a rule admits every peer. Rules are `ruleBytes` long, their peer set first;
 * with `action` set, only rules whose word at byte 12 (a tier rule's action) is it count.
 */
function fillProfilePeers(rows: usize, start: usize, list: usize, profiles: u32, ruleBytes: usize, action: u32): void {
  const rowBytes = <usize>W << 2;
  for (let p: u32 = 0; p < profiles; p++) {
    const row = rows + <usize>p * rowBytes;
    memory.fill(row, 0, rowBytes);
    const a = word(start, p);
    const b = word(start, p + 1);
    for (let k = a; k < b; k++) {
      if (action != 0 && load<u32>(list + <usize>k * ruleBytes, 12) != action) continue;
      const peerSet = load<u32>(list + <usize>k * ruleBytes);
      if (peerSet == NONE) {
        orRow(row, 0, 0);
        break;
      }
      orInto(row, peerBits + <usize>peerSet * rowBytes);
    }
  }
}

/** dst[0..W) |= src[0..W), four words at a time. */
function orInto(dst: usize, src: usize): void {
  const bytes = <usize>W << 2;
  let at: usize = 0;
  for (; at + 16 <= bytes; at += 16) v128.store(dst + at, v128.or(v128.load(dst + at), v128.load(src + at)));
  for (; at < bytes; at += 4) store<u32>(dst + at, load<u32>(dst + at) | load<u32>(src + at));
}

@inline function bit(words: usize, i: u32): bool {
  return ((load<u32>(words + (<usize>(i >>> 5) << 2)) >>> (i & 31)) & 1) != 0;
}

@inline function word(ptr: usize, i: u32): u32 {
  return load<u32>(ptr + (<usize>i << 2));
}

/** Word `b` of a row of ones over the C classes. */
@inline function onesWord(b: u32): u32 {
  return b == W - 1 ? lastMask : 0xffffffff;
}

/** The port class bitset (over port sets) of (protocol, port). */
@inline function classBitsOf(protocol: u32, port: u32): usize {
  const cls = word(portClassMap, (protocol << 16) | port);
  return portClassBits + (<usize>cls * portWords << 2);
}

/** Whether port set `ps` has a named entry that class `dst` resolves to (protocol, port). */
function namedMatch(ps: u32, dst: u32, protocol: u32, port: u32): bool {
  const a = word(namedStart, ps);
  const b = word(namedStart, ps + 1);
  if (a == b) return false;
  const pa = word(classPortStart, dst);
  const pb = word(classPortStart, dst + 1);
  for (let i = a; i < b; i++) {
    const key = word(named, i);
    if ((key & 3) != protocol) continue;
    for (let j = pa; j < pb; j++) {
      if (word(classPorts, j << 1) == key && word(classPorts, (j << 1) + 1) == port) return true;
    }
  }
  return false;
}

/**
 * Whether an isolated side with profile `profile` (its rules' peers at `peers`) admits `other` (a class, or
 * OUTSIDE | interval) on (protocol, port) towards `dst` (a class, or OUTSIDE | row), whose named ports resolve.
 */
function sideAllows(start: usize, list: usize, peers: usize, profile: u32, other: u32, dst: u32, protocol: u32, port: u32, classBits: usize): bool {
  // a class no rule's peer set holds: one bit instead of one per rule
  if ((other & OUTSIDE) == 0 && !bit(peers + (<usize>profile * W << 2), other)) return false;
  const a = word(start, profile);
  const b = word(start, profile + 1);
  for (let k = a; k < b; k++) {
    const rule = list + <usize>k * 12;
    const peerSet = load<u32>(rule);
    if (peerSet != NONE) {
      if ((other & OUTSIDE) != 0) {
        const ipSet = load<u32>(rule, 4);
        if (ipSet == NONE || !bit(intervalBits + (<usize>(other & ~OUTSIDE) * ipWords << 2), ipSet)) continue;
      } else if (!bit(peerBits + (<usize>peerSet * W << 2), other)) continue;
    }
    const portSet = load<u32>(rule, 8);
    if (portSet == NONE || bit(classBits, portSet & ~NAMED_BIT)) return true;
    if ((portSet & NAMED_BIT) != 0 && (dst & OUTSIDE) == 0 && namedMatch(portSet & ~NAMED_BIT, dst, protocol, port)) return true;
  }
  return false;
}

/**
 * The action of the first rule of tier side `k`'s profile `profile` that holds
 * `other` (a class, or OUTSIDE | row) on (protocol, port) towards `dst`, or 0
 * when none does. Scanned in order: the profile's rules are the tier's first-match list.
 */
function tierMatch(k: u32, profile: u32, other: u32, dst: u32, protocol: u32, port: u32, classBits: usize): u32 {
  // a class no rule's peer set holds matches no rule
  if ((other & OUTSIDE) == 0 && !bit(tier(k, T_O_PROFILE_PEERS) + (<usize>profile * W << 2), other)) return 0;
  const start = tier(k, T_O_PROFILE_START);
  const list = tier(k, T_O_PROFILE_RULES);
  const a = word(start, profile);
  const b = word(start, profile + 1);
  for (let r = a; r < b; r++) {
    const rule = list + (<usize>r << 4);
    // the port first: its class bits are the flow's own, already in cache; a peer bit is a far read
    const portSet = load<u32>(rule, 8);
    const numeric = portSet == NONE || bit(classBits, portSet & ~NAMED_BIT);
    if (!numeric && (portSet & NAMED_BIT) == 0) continue;
    if ((other & OUTSIDE) != 0) {
      const ipSet = load<u32>(rule, 4);
      if (ipSet == NONE || !bit(intervalBits + (<usize>(other & ~OUTSIDE) * ipWords << 2), ipSet)) continue;
    } else if (!bit(peerBits + (<usize>load<u32>(rule) * W << 2), other)) continue;
    if (numeric || ((dst & OUTSIDE) == 0 && namedMatch(portSet & ~NAMED_BIT, dst, protocol, port))) return load<u32>(rule, 12);
  }
  return 0;
}

/** Where endpoint code `e` (a class, or OUTSIDE | row) is: its node `| POD_HOST_BIT` when it is the node's own traffic, or NONE. */
@inline function placeOf(e: u32): u32 {
  if ((e & OUTSIDE) == 0) return word(classNode, e);
  const row = e & ~OUTSIDE;
  return row >= intervalCount ? (row - intervalCount) | POD_HOST_BIT : NONE;
}

/**
 * Whether a flow between class `self` and `other` (distinct pods) is node-local
 * (src/ir/endpoint-rules.ts `nodeLocal`): one known node, one end its own traffic.
 */
function nodeLocalFlow(self: u32, other: u32): bool {
  const a = placeOf(self);
  const b = placeOf(other);
  if (a == NONE || b == NONE) return false;
  return ((a ^ b) & ~POD_HOST_BIT) == 0 && ((a | b) & POD_HOST_BIT) != 0;
}

/** Word `b` of the classes class `c`'s node-local clause admits: host-network classes on its node, or every class there for a host-network class. */
@inline function nodeLocalWord(c: u32, b: u32): u32 {
  const place = word(classNode, c);
  if (place == NONE) return 0;
  const row = ((place & ~POD_HOST_BIT) << 1) + ((place & POD_HOST_BIT) != 0 ? 1 : 0);
  return load<u32>(nodeRows + ((<usize>row * W + b) << 2));
}

/**
 * The verdict of one side (`side` 0 egress of `self`, 1 ingress of `self`; `self` a
 * pod's class), tier by tier: Admin (Accept or Deny decide), NetworkPolicy (its isolation
 * decides, node-local traffic always allowed under FLAG_NODE_LOCAL), Baseline (Deny
 * denies), then allowed. `skipTiers`: self traffic, which no tier sees and which is
 * never node-local.
 */
function sideVerdict(side: u32, self: u32, other: u32, dst: u32, protocol: u32, port: u32, classBits: usize, skipTiers: bool): bool {
  const tiers = tiersOn && !skipTiers;
  if (tiers) {
    const a = word(tier(side, T_O_CLASS_PROFILE), self);
    if (a != NONE) {
      const action = tierMatch(side, a, other, dst, protocol, port, classBits);
      if (action == ACTION_ACCEPT) return true;
      if (action == ACTION_DENY) return false;
    }
  }
  const p = word(side == 0 ? classProfileE : classProfileI, self);
  if (p != NONE) {
    // node-local traffic passes NetworkPolicy's isolation (never a pod reaching itself)
    if (nodeLocalOn && !skipTiers && nodeLocalFlow(self, other)) return true;
    return side == 0
      ? sideAllows(profileStartE, profileRulesE, profilePeersE, p, other, dst, protocol, port, classBits)
      : sideAllows(profileStartI, profileRulesI, profilePeersI, p, other, dst, protocol, port, classBits);
  }
  if (tiers) {
    const b = word(tier(2 + side, T_O_CLASS_PROFILE), self);
    if (b != NONE && tierMatch(2 + side, b, other, dst, protocol, port, classBits) == ACTION_DENY) return false;
  }
  return true;
}

/** An endpoint code from a batch value: a pod, an entry of the address table, or NONE when out of range. */
@inline function endpoint(value: u32, addresses: usize, addressCount: u32): u32 {
  if (value < N) return value;
  const k = value - N;
  return k < addressCount ? word(addresses, k) : NONE;
}

/**
 * Decides `count` flows from the scratch region at `scratch` (layout SCRATCH_*),
 * writing one verdict byte each, a block at a time: `screen` first, then the full
 * decision of the flows the screen let through. Endpoint values `>= N` index the table of endpoint
 * codes at `addresses`. Ports are packed, or split when `split` is 1. Returns -1, or
 * the index of the first flow with an endpoint, protocol or port out of range
 * (verdicts before it are written).
 */
export function decide(scratch: usize, count: u32, addresses: usize, addressCount: u32, split: u32): i32 {
  if (!screenReady) {
    fillProfilePeers(profilePeersE, profileStartE, profileRulesE, profilesE, 12, 0);
    fillProfilePeers(profilePeersI, profileStartI, profileRulesI, profilesI, 12, 0);
    for (let k: u32 = 0; k < TIER_SIDES; k++) {
      const start = tier(k, T_O_PROFILE_START);
      const list = tier(k, T_O_PROFILE_RULES);
      const profiles = <u32>tier(k, T_PROFILES);
      fillProfilePeers(tier(k, T_O_PROFILE_PEERS), start, list, profiles, 16, 0);
      fillProfilePeers(tier(k, T_O_PROFILE_ACCEPT_PEERS), start, list, profiles, 16, ACTION_ACCEPT);
    }
    screenReady = true;
  }
  for (let first: u32 = 0; first < count; first += BLOCK) {
    const end = min(count, first + BLOCK);
    screen(scratch, first, end, addresses, addressCount, split);
    for (let i = first; i < end; i++) {
      if (load<u8>(scratch + SCRATCH_OUT + <usize>i) == 0) continue; // denied by the screen
      const s = endpoint(load<u32>(scratch + SCRATCH_FROM + (<usize>i << 2)), addresses, addressCount);
      const d = endpoint(load<u32>(scratch + SCRATCH_TO + (<usize>i << 2)), addresses, addressCount);
      const packed = portOf(scratch, i, split);
      const port = packed & 0xffff;
      const protocol = packed >>> 16;
      if (s == NONE || d == NONE || protocol > 2 || port == 0) return <i32>i;
      let allowed = true;
      const self = s == d && (s & OUTSIDE) == 0;
      if (!(selfAllow && self)) {
        const classBits = classBitsOf(protocol, port);
        // from here on, pods are their classes
        const cs = (s & OUTSIDE) == 0 ? word(podClass, s) : s;
        const cd = (d & OUTSIDE) == 0 ? word(podClass, d) : d;
        if ((s & OUTSIDE) == 0) allowed = sideVerdict(0, cs, cd, cd, protocol, port, classBits, self);
        if (allowed && (d & OUTSIDE) == 0) allowed = sideVerdict(1, cd, cs, cd, protocol, port, classBits, self);
      }
      store<u8>(scratch + SCRATCH_OUT + <usize>i, allowed ? 1 : 0);
    }
  }
  return -1;
}

/** Flows screened at a time before the full decision, so that the screen's reads overlap. */
const BLOCK: u32 = 256;

/** A word of ones: the profile-peers bit read by a side that is not isolated. */
const ONES: usize = memory.data<u32>([0xffffffff]);
/** A word of zeros: the Admin-tier peers bit read by a side no Admin policy holds. */
const ZERO: usize = memory.data<u32>([0]);

/** Flow `i`'s `port | protocol << 16`, from either port form. */
@inline function portOf(scratch: usize, i: u32, split: u32): u32 {
  if (split != 0) {
    return <u32>load<u16>(scratch + SCRATCH_PORT16 + (<usize>i << 1)) | (<u32>load<u8>(scratch + SCRATCH_PROTOCOL8 + <usize>i) << 16);
  }
  return load<u32>(scratch + SCRATCH_PORT + (<usize>i << 2));
}

/**
 * Writes 0 to the verdict of each valid pod-to-pod flow in `[first, end)` that one
 * side's profile-peers bit already denies, 1 to every other flow (decided in full
 * next). Branch-free over a block, so the misses of many flows' bit reads overlap
 * instead of following one another. A side whose pod an Admin-tier policy holds is
 * screened only when no Admin Accept rule's peers hold the far end (only an Accept
 * can allow what NetworkPolicy's isolation denies; a Deny or a Pass cannot); the
 * Baseline tier never matters here, as NetworkPolicy's isolation decides before it.
 */
function screen(scratch: usize, first: u32, end: u32, addresses: usize, addressCount: u32, split: u32): void {
  const rowBytes = <usize>W << 2;
  for (let i = first; i < end; i++) {
    const s = endpoint(load<u32>(scratch + SCRATCH_FROM + (<usize>i << 2)), addresses, addressCount);
    const d = endpoint(load<u32>(scratch + SCRATCH_TO + (<usize>i << 2)), addresses, addressCount);
    const packed = portOf(scratch, i, split);
    const pods = s < N && d < N; // both pods, so neither NONE nor OUTSIDE
    const valid = pods && (packed >>> 16) <= 2 && (packed & 0xffff) != 0;
    // their classes (class 0 for a flow decided in full next: no read depends on it)
    // (the loads read index 0 when not valid: a select may evaluate both arms)
    const ss = valid ? word(podClass, valid ? s : 0) : 0;
    const dd = valid ? word(podClass, valid ? d : 0) : 0;
    const pe = valid ? word(classProfileE, ss) : NONE;
    const pi = valid ? word(classProfileI, dd) : NONE;
    const e = pe == NONE ? ONES : profilePeersE + <usize>pe * rowBytes + (<usize>(dd >>> 5) << 2);
    const g = pi == NONE ? ONES : profilePeersI + <usize>pi * rowBytes + (<usize>(ss >>> 5) << 2);
    const ae = valid && tiersOn ? word(tier(0, T_O_CLASS_PROFILE), ss) : NONE;
    const ai = valid && tiersOn ? word(tier(1, T_O_CLASS_PROFILE), dd) : NONE;
    const ea = ae == NONE ? ZERO : tier(0, T_O_PROFILE_ACCEPT_PEERS) + <usize>ae * rowBytes + (<usize>(dd >>> 5) << 2);
    const ga = ai == NONE ? ZERO : tier(1, T_O_PROFILE_ACCEPT_PEERS) + <usize>ai * rowBytes + (<usize>(ss >>> 5) << 2);
    const egressOpen = (load<u32>(e) >>> (pe == NONE ? 0 : dd & 31)) | (load<u32>(ea) >>> (dd & 31));
    const ingressOpen = (load<u32>(g) >>> (pi == NONE ? 0 : ss & 31)) | (load<u32>(ga) >>> (ss & 31));
    const pass = (egressOpen & ingressOpen & 1) != 0;
    let open = !valid || pass || (selfAllow && s == d);
    // node-local flows pass NetworkPolicy's isolation: left to the full decision
    if (!open && nodeLocalOn) open = s != d && nodeLocalFlow(ss, dd);
    store<u8>(scratch + SCRATCH_OUT + <usize>i, open ? 1 : 0);
  }
}

/** Work-region pointers for one (protocol, port); see layout.ts `workWords`. */
let rowsE: usize = 0;
let rowsI: usize = 0;
let namedBits: usize = 0;
let portFlags: usize = 0;
// per tier side k, the start of its rows (profile q: accepted row at 2q, denied row at 2q + 1)
const TIER_ROWS: usize = memory.data(<i32>TIER_SIDES << 2);
// the rows the tier rules have not decided yet, while one profile's rows are folded
let undecided: usize = 0;

@inline function tierRow(k: u32, profile: u32, denied: u32): usize {
  return <usize>load<u32>(TIER_ROWS + (<usize>k << 2)) + ((<usize>(profile * 2 + denied) * W) << 2);
}

/** dst[0..W) |= src[0..W) (& mask[0..W) when mask != 0; src == 0 means all classes), four words at a time. */
function orRow(dst: usize, src: usize, mask: usize): void {
  if (src == 0) {
    // all classes (under the mask): the ones row's last word is the only partial one
    for (let b: u32 = 0; b < W; b++) {
      const at = <usize>b << 2;
      store<u32>(dst + at, load<u32>(dst + at) | (onesWord(b) & (mask != 0 ? load<u32>(mask + at) : 0xffffffff)));
    }
    return;
  }
  if (mask == 0) {
    orInto(dst, src);
    return;
  }
  const bytes = <usize>W << 2;
  let at: usize = 0;
  for (; at + 16 <= bytes; at += 16) {
    v128.store(dst + at, v128.or(v128.load(dst + at), v128.and(v128.load(src + at), v128.load(mask + at))));
  }
  for (; at < bytes; at += 4) store<u32>(dst + at, load<u32>(dst + at) | (load<u32>(src + at) & load<u32>(mask + at)));
}

// port-set flags in the work region: numeric match, and "some class resolves a named entry"
const PORT_NUMERIC: u8 = 1;
const PORT_NAMED: u8 = 2;

/**
 * Computes, into the work region at `work`, every profile's row for (protocol,
 * port): an egress row is the set of destination classes the profile's rules admit,
 * an ingress row the set of source classes. Must precede `classMatrix` and `counts`.
 */
export function prepare(work: usize, protocol: u32, port: u32): void {
  const rowBytes = <usize>W << 2;
  rowsE = work;
  rowsI = rowsE + <usize>profilesE * rowBytes;
  namedBits = rowsI + <usize>profilesI * rowBytes;
  let next = namedBits + <usize>namedSets * rowBytes;
  for (let k: u32 = 0; k < TIER_SIDES; k++) {
    store<u32>(TIER_ROWS + (<usize>k << 2), <u32>next);
    next += <usize>tier(k, T_PROFILES) * 2 * rowBytes;
  }
  undecided = next;
  portFlags = undecided + rowBytes;
  const classBits = classBitsOf(protocol, port);
  for (let ps: u32 = 0; ps < portSets; ps++) store<u8>(portFlags + ps, bit(classBits, ps) ? PORT_NUMERIC : 0);
  // named-port bitsets: destination classes on which a port set's named entry resolves to the port
  memory.fill(namedBits, 0, <usize>namedSets * rowBytes);
  for (let d: u32 = 0; d < C; d++) {
    const pa = word(classPortStart, d);
    const pb = word(classPortStart, d + 1);
    for (let j = pa; j < pb; j++) {
      const key = word(classPorts, j << 1);
      if ((key & 3) != protocol || word(classPorts, (j << 1) + 1) != port) continue;
      const ra = word(nameRefStart, key);
      const rb = word(nameRefStart, key + 1);
      for (let r = ra; r < rb; r++) {
        const ps = word(nameRefs, r);
        const slot = namedBits + <usize>word(namedSlot, ps) * rowBytes + (<usize>(d >>> 5) << 2);
        store<u32>(slot, load<u32>(slot) | (<u32>1 << (d & 31)));
        store<u8>(portFlags + ps, load<u8>(portFlags + ps) | PORT_NAMED);
      }
    }
  }
  for (let p: u32 = 0; p < profilesE; p++) {
    const row = rowsE + <usize>p * rowBytes;
    memory.fill(row, 0, rowBytes);
    const a = word(profileStartE, p);
    const b = word(profileStartE, p + 1);
    for (let k = a; k < b; k++) {
      const rule = profileRulesE + <usize>k * 12;
      const peerSet = load<u32>(rule);
      const raw = load<u32>(rule, 8);
      const portSet = raw & ~NAMED_BIT;
      const peers: usize = peerSet == NONE ? 0 : peerBits + <usize>peerSet * rowBytes;
      const flags = raw == NONE ? PORT_NUMERIC : load<u8>(portFlags + portSet);
      if ((flags & PORT_NUMERIC) != 0) orRow(row, peers, 0);
      else if ((flags & PORT_NAMED) != 0) orRow(row, peers, namedBits + <usize>word(namedSlot, portSet) * rowBytes);
    }
  }
  for (let q: u32 = 0; q < profilesI; q++) {
    const row = rowsI + <usize>q * rowBytes;
    memory.fill(row, 0, rowBytes);
    const rep = word(profileRepI, q);
    const a = word(profileStartI, q);
    const b = word(profileStartI, q + 1);
    for (let k = a; k < b; k++) {
      const rule = profileRulesI + <usize>k * 12;
      const peerSet = load<u32>(rule);
      const raw = load<u32>(rule, 8);
      const portSet = raw & ~NAMED_BIT;
      const flags = raw == NONE ? PORT_NUMERIC : load<u8>(portFlags + portSet);
      const matches =
        (flags & PORT_NUMERIC) != 0 ||
        ((flags & PORT_NAMED) != 0 && bit(namedBits + <usize>word(namedSlot, portSet) * rowBytes, rep));
      if (matches) orRow(row, peerSet == NONE ? 0 : peerBits + <usize>peerSet * rowBytes, 0);
    }
  }
  for (let k: u32 = 0; k < TIER_SIDES; k++) prepareTier(k);
}

/**
 * Folds each profile of tier side `k` into its accepted and denied rows for the
 * prepared (protocol, port): its rules in order, each taking, among the far ends no
 * earlier rule matched, those its peers hold (an egress rule's named ports resolved
 * on each destination class, an ingress rule's on the profile's representative class).
 */
function prepareTier(k: u32): void {
  const rowBytes = <usize>W << 2;
  const egress = (k & 1) == 0;
  const start = tier(k, T_O_PROFILE_START);
  const list = tier(k, T_O_PROFILE_RULES);
  const profiles = <u32>tier(k, T_PROFILES);
  const ones = i32x4.splat(-1);
  for (let q: u32 = 0; q < profiles; q++) {
    const accepted = tierRow(k, q, 0);
    const denied = tierRow(k, q, 1);
    memory.fill(accepted, 0, rowBytes * 2);
    for (let b: u32 = 0; b < W; b++) store<u32>(undecided + (<usize>b << 2), onesWord(b));
    const rep = word(tier(k, T_O_PROFILE_REP), q);
    const a = word(start, q);
    const e = word(start, q + 1);
    for (let r = a; r < e; r++) {
      const rule = list + (<usize>r << 4);
      const peers = peerBits + <usize>load<u32>(rule) * rowBytes;
      const raw = load<u32>(rule, 8);
      const portSet = raw & ~NAMED_BIT;
      const flags = raw == NONE ? PORT_NUMERIC : load<u8>(portFlags + portSet);
      let mask: usize = 0; // 0: every far end the port allows
      if ((flags & PORT_NUMERIC) == 0) {
        if ((flags & PORT_NAMED) == 0) continue;
        const named = namedBits + <usize>word(namedSlot, portSet) * rowBytes;
        if (egress) mask = named;
        else if (!bit(named, rep)) continue;
      }
      const action = load<u32>(rule, 12);
      const into = action == ACTION_ACCEPT ? accepted : action == ACTION_DENY ? denied : 0;
      let at: usize = 0;
      for (; at + 16 <= rowBytes; at += 16) {
        const m = v128.and(v128.and(v128.load(peers + at), v128.load(undecided + at)), mask != 0 ? v128.load(mask + at) : ones);
        v128.store(undecided + at, v128.andnot(v128.load(undecided + at), m));
        if (into != 0) v128.store(into + at, v128.or(v128.load(into + at), m));
      }
      for (; at < rowBytes; at += 4) {
        let m = load<u32>(peers + at) & load<u32>(undecided + at);
        if (mask != 0) m &= load<u32>(mask + at);
        store<u32>(undecided + at, load<u32>(undecided + at) & ~m);
        if (into != 0) store<u32>(into + at, load<u32>(into + at) | m);
      }
    }
  }
}

/**
 * Word `b` of a side's verdict row given its NetworkPolicy word `np` (ones when no
 * NetworkPolicy isolates the class, `isolated` false): the Admin tier's accepted and
 * denied rows around it, and the Baseline tier's denied row in place of it when no
 * NetworkPolicy isolates the class. `k` is the side's Admin tier side (0 or 1).
 */
@inline function tierWord(k: u32, cls: u32, b: u32, np: u32, isolated: bool): u32 {
  let v = np;
  if (!isolated) {
    const base = word(tier(k + 2, T_O_CLASS_PROFILE), cls);
    if (base != NONE) v = ~load<u32>(tierRow(k + 2, base, 1) + (<usize>b << 2)) & onesWord(b);
  }
  const admin = word(tier(k, T_O_CLASS_PROFILE), cls);
  if (admin != NONE) v = load<u32>(tierRow(k, admin, 0) + (<usize>b << 2)) | (v & ~load<u32>(tierRow(k, admin, 1) + (<usize>b << 2)));
  return v;
}

/** Word `b` of source class `s`'s egress side: the destination classes it may send to. */
@inline function egressWord(s: u32, b: u32): u32 {
  const p = word(classProfileE, s);
  let np = p == NONE ? onesWord(b) : load<u32>(rowsE + ((<usize>p * W + b) << 2));
  if (p != NONE && nodeLocalOn) np |= nodeLocalWord(s, b);
  return tiersOn ? tierWord(0, s, b, np, p != NONE) : np;
}

/** Word `w` of destination class `d`'s ingress side: the source classes it accepts. */
@inline function ingressWord(d: u32, w: u32): u32 {
  if (d >= C) return 0;
  const q = word(classProfileI, d);
  let np = q == NONE ? onesWord(w) : load<u32>(rowsI + ((<usize>q * W + w) << 2));
  if (q != NONE && nodeLocalOn) np |= nodeLocalWord(d, w);
  return tiersOn ? tierWord(1, d, w, np, q != NONE) : np;
}

/**
 * A pod of class `c` reaching itself, on the sides `kind` (MATRIX_*) asks for: allowed
 * under `selfTraffic: "allow"`, else what NetworkPolicy alone says (no tier sees self
 * traffic; without tiers this is the class's own cell).
 */
function selfBit(c: u32, kind: u32): u32 {
  if (selfAllow) return 1;
  const p = word(classProfileE, c);
  const q = word(classProfileI, c);
  const egress: bool = p == NONE || bit(rowsE + (<usize>p * W << 2), c);
  const ingress: bool = q == NONE || bit(rowsI + (<usize>q * W << 2), c);
  return (kind == MATRIX_EGRESS ? egress : kind == MATRIX_INGRESS ? ingress : egress && ingress) ? 1 : 0;
}

/**
 * Transposes the 32×32 bit tile in place: afterwards bit k of word i is what bit i
 * of word k was (LSB-first, Hacker's Delight's recursive block swap).
 */
function transposeTile(): void {
  let j: u32 = 16;
  let m: u32 = 0x0000ffff;
  while (j != 0) {
    for (let k: u32 = 0; k < 32; k = (k + j + 1) & ~j) {
      const lo = TILE + (<usize>k << 2);
      const hi = TILE + (<usize>(k + j) << 2);
      const t = ((load<u32>(lo) >>> j) ^ load<u32>(hi)) & m;
      store<u32>(hi, load<u32>(hi) ^ t);
      store<u32>(lo, load<u32>(lo) ^ (t << j));
    }
    j >>= 1;
    m ^= m << j;
  }
}

/**
 * Fills the tile with the class verdicts of source classes `32w..32w+31` (word i =
 * class 32w+i) towards destination classes `32b..32b+31` (bit k = class 32b+k), for
 * `kind` (MATRIX_*), as between two distinct pods. Rows of classes past C are zero.
 */
function fillTile(w: u32, b: u32, kind: u32): void {
  if (kind != MATRIX_EGRESS) {
    // word k: the sources destination 32b+k accepts; transposed, word i: destinations
    for (let k: u32 = 0; k < 32; k++) store<u32>(TILE + (<usize>k << 2), ingressWord((b << 5) + k, w));
    transposeTile();
  }
  for (let i: u32 = 0; i < 32; i++) {
    const s = (w << 5) + i;
    const at = TILE + (<usize>i << 2);
    if (s >= C) {
      store<u32>(at, 0);
      continue;
    }
    store<u32>(at, kind == MATRIX_INGRESS ? load<u32>(at) : kind == MATRIX_EGRESS ? egressWord(s, b) : load<u32>(at) & egressWord(s, b));
  }
}

/**
 * Starts the C×C class matrix of `kind` (MATRIX_*) for the prepared (protocol, port)
 * in the class block at `block` (layout.ts `classBlockWords`): C rows of W words (row
 * `c`: the classes a pod of class `c` may reach, as between two distinct pods; a pod's
 * own cell is `podRows`' business), then per destination class slot (`32 * W` of
 * them) where its ingress words come from (`ingressCode`), then a byte per strip of 32
 * source classes, 1 once its rows are made. No row is made here: `podRows` makes each
 * strip the first time one of its pods needs it, so that a thread writing some pod
 * rows makes only the strips of their classes.
 */
export function classMatrix(block: usize, kind: u32): void {
  const codes = block + ((<usize>C * W) << 2);
  for (let d: u32 = 0; d < W << 5; d++) store<u32>(codes + (<usize>d << 2), ingressCode(d));
  memory.fill(codes + (<usize>W << 7), 0, <usize>W);
}

/** In a class block's ingress codes: the class accepts every source (not isolated), accepts none (past C), or needs `ingressWord` (tiers, node-local); else the address of its ingress row. */
const ROW_ONES: u32 = 0;
const ROW_NONE: u32 = 1;
const ROW_WORDS: u32 = 2;

/** Where destination class `d`'s ingress words come from: a ROW_* code, or the address of its ingress row. */
function ingressCode(d: u32): u32 {
  if (d >= C) return ROW_NONE;
  const q = word(classProfileI, d);
  return tiersOn || (nodeLocalOn && q != NONE) ? ROW_WORDS : q == NONE ? ROW_ONES : <u32>(rowsI + (<usize>q * W << 2));
}

/** Word `w` of destination class `d`'s ingress side, from its ingress code `code`. */
@inline function ingressAt(code: u32, d: u32, w: u32): u32 {
  if (code > ROW_WORDS) return load<u32>(<usize>code + (<usize>w << 2));
  if (code == ROW_ONES) return onesWord(w);
  return code == ROW_NONE ? 0 : ingressWord(d, w);
}

/**
 * Makes strip `w` of the class matrix in the class block at `block` (rows of source
 * classes `32w..32w+31` below C): each class's egress row (or ones for the ingress
 * side alone), then, unless egress alone is asked, ANDed tile by tile with the
 * ingress side transposed. The strip's rows (32 of W words) stay in cache throughout.
 */
function classStrip(block: usize, kind: u32, w: u32): void {
  const rowBytes = <usize>W << 2;
  const end = min<u32>(32, C - (w << 5));
  const first = block + <usize>(w << 5) * rowBytes;
  for (let i: u32 = 0; i < end; i++) {
    const row = first + <usize>i * rowBytes;
    if (kind == MATRIX_INGRESS) {
      memory.fill(row, 0, rowBytes);
      orRow(row, 0, 0);
    } else egressRow((w << 5) + i, row);
  }
  if (kind == MATRIX_EGRESS) return;
  const codes = block + ((<usize>C * W) << 2);
  for (let b: u32 = 0; b < W; b++) {
    // word k: the sources in word w that destination 32b+k accepts
    const at = codes + (<usize>(b << 5) << 2);
    let any: u32 = 0;
    let all: u32 = 0xffffffff;
    for (let k: u32 = 0; k < 32; k++) {
      const v = ingressAt(load<u32>(at + (<usize>k << 2)), (b << 5) + k, w);
      store<u32>(TILE + (<usize>k << 2), v);
      any |= v;
      all &= v;
    }
    // all 32 destinations accept every source of the word (so none is past C): nothing to clear
    if (all == 0xffffffff) continue;
    const cells = first + (<usize>b << 2);
    if (any == 0) {
      for (let i: u32 = 0; i < end; i++) store<u32>(cells + <usize>i * rowBytes, 0);
      continue;
    }
    transposeTile();
    for (let i: u32 = 0; i < end; i++) {
      const cell = cells + <usize>i * rowBytes;
      store<u32>(cell, load<u32>(cell) & load<u32>(TILE + (<usize>i << 2)));
    }
  }
}

/** Writes source class `s`'s egress side (the destination classes it may send to) at `row`. */
function egressRow(s: u32, row: usize): void {
  const p = word(classProfileE, s);
  if (tiersOn || (nodeLocalOn && p != NONE)) {
    for (let b: u32 = 0; b < W; b++) store<u32>(row + (<usize>b << 2), egressWord(s, b));
  } else if (p == NONE) {
    memory.fill(row, 0, <usize>W << 2);
    orRow(row, 0, 0);
  } else memory.copy(row, rowsE + (<usize>p * W << 2), <usize>W << 2);
}

/** Sets bits `[a, e)` of the pod row at `row`. */
function setBits(row: usize, a: u32, e: u32): void {
  const wa = a >>> 5;
  const we = e >>> 5;
  const head: u32 = 0xffffffff << (a & 31);
  const tail: u32 = (e & 31) == 0 ? 0 : 0xffffffff >>> (32 - (e & 31));
  if (wa == we) {
    const at = row + (<usize>wa << 2);
    store<u32>(at, load<u32>(at) | (head & tail));
    return;
  }
  const first = row + (<usize>wa << 2);
  store<u32>(first, load<u32>(first) | head);
  if (we > wa + 1) memory.fill(first + 4, 0xff, <usize>(we - wa - 1) << 2);
  if (tail != 0) {
    const last = row + (<usize>we << 2);
    store<u32>(last, load<u32>(last) | tail);
  }
}

/** Sets bit `i` of the pod row at `row` to `v` (0 or 1). */
@inline function putBit(row: usize, i: u32, v: u32): void {
  const at = row + (<usize>(i >>> 5) << 2);
  store<u32>(at, (load<u32>(at) & ~(<u32>1 << (i & 31))) | (v << (i & 31)));
}

/** Spreads the class row at `crow` over the pods: the pod row at `row` (PW words) gets every pod of every class set in it. */
function spreadRow(row: usize, crow: usize): void {
  memory.fill(row, 0, <usize>PW << 2);
  for (let b: u32 = 0; b < W; b++) {
    for (let bits = load<u32>(crow + (<usize>b << 2)); bits != 0; bits &= bits - 1) {
      const c = (b << 5) + ctz<u32>(bits);
      const ra = word(classRunStart, c);
      const re = word(classRunStart, c + 1);
      for (let r = ra; r < re; r++) setBits(row, word(classRuns, r << 1), word(classRuns, (r << 1) + 1));
    }
  }
}

/**
 * Writes pod rows `first` up to `end` of the N×N matrix of `kind` (MATRIX_*) at `out`,
 * in ReachabilityMatrix's layout (row-major, `ceil(N/32)` words per source row, the
 * first row written being row `first`), from the class block at `block` (started by
 * `classMatrix`, same kind and port; a strip of its rows is made when a pod first
 * needs it). A row is its class's row spread over the pods, or a copy of the previous
 * row when both pods share a class; then the pod's own bit follows the self-traffic
 * rule. The host calls it band by band, so the core never holds the whole matrix.
 */
export function podRows(out: usize, block: usize, kind: u32, first: u32, end: u32): void {
  const rowBytes = <usize>PW << 2;
  const made = block + ((<usize>C * W) << 2) + (<usize>W << 7);
  let previous: u32 = NONE;
  for (let s = first; s < end; s++) {
    const row = out + <usize>(s - first) * rowBytes;
    const c = word(podClass, s);
    const crow = block + (<usize>c * W << 2);
    if (c != previous && load<u8>(made + <usize>(c >>> 5)) == 0) {
      classStrip(block, kind, c >>> 5);
      store<u8>(made + <usize>(c >>> 5), 1);
    }
    if (c == previous) {
      copyRow(row, row - rowBytes, rowBytes);
      // the previous pod's own bit: to it, this pod is any pod of its class
      putBit(row, s - 1, bit(crow, c) ? 1 : 0);
    } else spreadRow(row, crow);
    putBit(row, s, selfBit(c, kind));
    previous = c;
  }
}

/** dst[0..bytes) = src[0..bytes) (`bytes` a multiple of 4), inline: a pod row is too short to pay for `memory.copy`'s call. */
@inline function copyRow(dst: usize, src: usize, bytes: usize): void {
  let at: usize = 0;
  for (; at + 64 <= bytes; at += 64) {
    v128.store(dst + at, v128.load(src + at));
    v128.store(dst + at, v128.load(src + at, 16), 16);
    v128.store(dst + at, v128.load(src + at, 32), 32);
    v128.store(dst + at, v128.load(src + at, 48), 48);
  }
  for (; at + 16 <= bytes; at += 16) v128.store(dst + at, v128.load(src + at));
  for (; at < bytes; at += 4) store<u32>(dst + at, load<u32>(src + at));
}

/** `sum 2^j popcnt(bits & plane j)` over the size planes at class word `b`: the pods of the classes in `bits`. */
@inline function podsIn(bits: u32, b: u32): u32 {
  let total: u32 = 0;
  for (let j: u32 = 0; j < sizePlanes; j++) total += popcnt<u32>(bits & load<u32>(sizePlaneBits + ((<usize>j * W + b) << 2))) << j;
  return total;
}

/**
 * Writes, for the prepared (protocol, port) and `kind`, `N` u32 reach counts (how
 * many pods each pod may reach) then `N` u32 reached-from counts (how many pods may
 * reach each pod) at `out`, tile by tile over the classes without any matrix: a
 * class cell counts as many pods as the far class holds, less the pod itself, plus its
 * own cell. Uses `3 * C` u32 after them (per class: reach, reached-by, own cell).
 */
export function counts(out: usize, kind: u32): void {
  const reachC = out + (<usize>N << 3);
  const reachedC = reachC + (<usize>C << 2);
  const own = reachedC + (<usize>C << 2);
  memory.fill(reachC, 0, <usize>C << 3);
  for (let w: u32 = 0; w < W; w++) {
    for (let b: u32 = 0; b < W; b++) {
      fillTile(w, b, kind);
      for (let i: u32 = 0; i < 32; i++) {
        const s = (w << 5) + i;
        if (s >= C) break;
        const v = load<u32>(TILE + (<usize>i << 2));
        const at = reachC + (<usize>s << 2);
        store<u32>(at, load<u32>(at) + podsIn(v, b));
        if (w == b) store<u32>(own + (<usize>s << 2), (v >>> i) & 1);
      }
      transposeTile();
      for (let k: u32 = 0; k < 32; k++) {
        const d = (b << 5) + k;
        if (d >= C) break;
        const at = reachedC + (<usize>d << 2);
        store<u32>(at, load<u32>(at) + podsIn(load<u32>(TILE + (<usize>k << 2)), w));
      }
    }
  }
  for (let s: u32 = 0; s < N; s++) {
    const c = word(podClass, s);
    const fix = selfBit(c, kind) - word(own, c);
    store<u32>(out + (<usize>s << 2), word(reachC, c) + fix);
    store<u32>(out + ((<usize>(N + s)) << 2), word(reachedC, c) + fix);
  }
}
