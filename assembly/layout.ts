// The mirror of src/compile/layout.ts for the core: same names, flattened
// (`H.PODS` is `H_PODS` here). That file documents every field; test/compile.test.ts
// checks that each constant below equals its twin there.

export const VERSION: u32 = 0x4e500004;
export const NONE: u32 = 0xffffffff;
export const OUTSIDE: u32 = 0x80000000;
export const NAMED_BIT: u32 = 0x80000000;
export const FLAG_SELF_ALLOW: u32 = 1;
export const HEADER_WORDS: u32 = 40;

export const H_VERSION: u32 = 0;
export const H_PODS: u32 = 1;
export const H_WORDS: u32 = 2;
export const H_FLAGS: u32 = 3;
export const H_PEER_SETS: u32 = 4;
export const H_IP_SETS: u32 = 5;
export const H_IP_WORDS: u32 = 6;
export const H_INTERVALS: u32 = 7;
export const H_PORT_SETS: u32 = 8;
export const H_PORT_WORDS: u32 = 9;
export const H_PORT_CLASSES: u32 = 10;
export const H_RULES: u32 = 11;
export const H_PROFILES_E: u32 = 12;
export const H_PROFILES_I: u32 = 13;
export const H_NAMED_SETS: u32 = 14;
export const H_NAME_KEYS: u32 = 15;
export const H_O_POD_PROFILE_E: u32 = 16;
export const H_O_POD_PROFILE_I: u32 = 17;
export const H_O_PROFILE_START_E: u32 = 18;
export const H_O_PROFILE_RULES_E: u32 = 19;
export const H_O_PROFILE_START_I: u32 = 20;
export const H_O_PROFILE_RULES_I: u32 = 21;
export const H_O_PROFILE_REP_I: u32 = 22;
export const H_O_PEER_BITS: u32 = 23;
export const H_O_INTERVAL_BITS: u32 = 24;
export const H_O_PORT_CLASS_MAP: u32 = 25;
export const H_O_PORT_CLASS_BITS: u32 = 26;
export const H_O_NAMED_START: u32 = 27;
export const H_O_NAMED: u32 = 28;
export const H_O_NAMED_SLOT: u32 = 29;
export const H_O_POD_PORT_START: u32 = 30;
export const H_O_POD_PORTS: u32 = 31;
export const H_O_NAME_REF_START: u32 = 32;
export const H_O_NAME_REFS: u32 = 33;
export const H_TOTAL_BYTES: u32 = 34;
export const H_O_PROFILE_PEERS_E: u32 = 35;
export const H_O_PROFILE_PEERS_I: u32 = 36;

export const CHUNK: u32 = 65536;
export const SCRATCH_FROM: u32 = 0;
export const SCRATCH_TO: u32 = 262144;
export const SCRATCH_PORT: u32 = 524288;
export const SCRATCH_PORT16: u32 = 524288;
export const SCRATCH_PROTOCOL8: u32 = 655360;
export const SCRATCH_OUT: u32 = 786432;
export const SCRATCH_BYTES: u32 = 851968;

export const MATRIX_BOTH: u32 = 0;
export const MATRIX_EGRESS: u32 = 1;
export const MATRIX_INGRESS: u32 = 2;
