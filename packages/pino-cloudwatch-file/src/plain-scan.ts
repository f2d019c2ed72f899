/**
 * Finding, 64 bytes at a time, what the fast path must look at in its input: a byte under 0x20 other
 * than the newlines between lines (a raw control character, which JSON refuses inside a string and
 * pino never writes), or a backslash not followed by `" \\ / b f n r t` (a `\uXXXX` escape to check,
 * an escape JSON does not allow, or the second backslash of a `\\`). pino's lines hold none of
 * these in almost all their bytes, so checking a piece of input costs about 0.05 ns per byte, where
 * a JavaScript loop over the long strings cost about half a nanosecond per byte (a fast path 40%
 * slower on 4 KB records, 20% on small ones with one loop per line).
 *
 * JavaScript has no native search for a class of bytes, so the search is a WebAssembly function
 * (SIMD, in every Node version this package supports) over the worker's work buffer, which lives in
 * the function's memory. The module is written out below by hand; its text:
 *
 *   (module
 *     (import "env" "memory" (memory 1))
 *     (func (export "scan") (param $k i32) (param $to i32) (result i32)
 *       (local $mask i32) (local $v v128) (local $w v128) ...the constants, splatted: under (0x20),
 *       newline, backslash and the eight bytes that may follow a backslash
 *       (block $tail
 *         (loop $next
 *           (br_if $tail (i32.gt_u (i32.add (local.get $k) (i32.const 65)) (local.get $to)))
 *           (if (v128.any_true (v128.or (v128.or (ROUGH 0) (ROUGH 16)) (v128.or (ROUGH 32) (ROUGH 48))))
 *             (then
 *               (if (local.tee $mask (i32.or (i8x16.bitmask (EXACT 0))
 *                                            (i32.shl (i8x16.bitmask (EXACT 16)) (i32.const 16))))
 *                 (then (return (i32.add (local.get $k) (i32.ctz (local.get $mask))))))
 *               (if (local.tee $mask (i32.or (i8x16.bitmask (EXACT 32))
 *                                            (i32.shl (i8x16.bitmask (EXACT 48)) (i32.const 16))))
 *                 (then (return (i32.add (i32.add (local.get $k) (i32.const 32)) (i32.ctz (local.get $mask))))))))
 *           (local.set $k (i32.add (local.get $k) (i32.const 64)))
 *           (br $next)))
 *       (local.get $k)))
 *
 * where, for the 16 bytes v from k + n and the 16 bytes w from k + n + 1,
 *
 *   (ROUGH n)  = (v < 0x20 and v != newline) or v == backslash
 *   (EXACT n)  = (v < 0x20 and v != newline) or (v == backslash and w is none of " \\ / b f n r t)
 *
 * A window of 64 bytes with nothing rough in it is passed over with one branch; one with a backslash
 * in it (a stack trace's `\n`) is looked at exactly without leaving the loop. `scan(k, to)` returns
 * the index of the first byte from `k` on that is exactly to be looked at, or the start of the last
 * bytes before `to` (fewer than 65), which the caller reads itself. Every byte is judged on its own,
 * so the caller may start anywhere; whether a backslash found starts an escape is the caller's to
 * decide (the run of backslashes before it). Where WebAssembly is not available (`--jitless`), the
 * same check runs in JavaScript.
 */

import { FAST_PATH_MODULE } from './fast-path-module';

const op = {
  i32Const: 0x41,
  i32Add: 0x6a,
  i32GtU: 0x4b,
  i32Ctz: 0x68,
  i32Or: 0x72,
  i32Shl: 0x74,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  end: 0x0b,
  void: 0x40,
} as const;
/** SIMD instructions: the 0xfd prefix, then the instruction's number. */
const simd = {
  load: [0xfd, 0x00, 0x00], // v128.load, align 1; the offset follows
  splat: [0xfd, 0x0f], // i8x16.splat
  eq: [0xfd, 0x23], // i8x16.eq
  ne: [0xfd, 0x24], // i8x16.ne
  ltU: [0xfd, 0x26], // i8x16.lt_u
  and: [0xfd, 0x4e], // v128.and
  andNot: [0xfd, 0x4f], // v128.andnot
  or: [0xfd, 0x50], // v128.or
  anyTrue: [0xfd, 0x53], // v128.any_true
  bitmask: [0xfd, 0x64], // i8x16.bitmask
  swizzle: [0xfd, 0x0e], // i8x16.swizzle
  shrU: [0xfd, 0x6d], // i8x16.shr_u
  const: [0xfd, 0x0c], // v128.const, 16 bytes follow
} as const;

/** The second bytes of JSON's two-byte escapes. */
const SHORT_ESCAPES = [...'"\\/bfnrt'].map((c) => c.charCodeAt(0));

/**
 * Two 16-byte tables that tell the SHORT_ESCAPES apart from every other byte by its two halves: each
 * distinct high half (2, 5, 6, 7) gets a bit in HIGH_HALVES, and LOW_HALVES holds, for each low
 * half, the bits of the high halves it is an escape with. `LOW_HALVES[w & 15] & HIGH_HALVES[w >> 4]`
 * is not 0 exactly for the SHORT_ESCAPES (i8x16.swizzle looks both up sixteen bytes at a time).
 */
const HIGH_HALVES = new Array<number>(16).fill(0);
const LOW_HALVES = new Array<number>(16).fill(0);
for (const c of SHORT_ESCAPES) {
  const high = c >> 4;
  if (HIGH_HALVES[high] === 0) HIGH_HALVES[high] = 1 << HIGH_HALVES.filter((bit) => bit !== 0).length;
  LOW_HALVES[c & 15] |= HIGH_HALVES[high];
}

// Locals: the parameters, then one i32, then the v128s.
const K = 0;
const TO = 1;
const MASK = 2;
const V = 3;
const W = 4;
const UNDER = 5;
const NEWLINE = 6;
const BACKSLASH = 7;
const LOW = 8; // LOW_HALVES
const HIGH = 9; // HIGH_HALVES
const FIFTEEN = 10;
const ZERO = 11;
const LOCALS_END = 12;

/** A small non-negative i32.const operand as a signed LEB128. */
const sleb = (n: number): number[] => (n < 64 ? [n] : [(n & 0x7f) | 0x80, n >> 7]);

/** The 16 bytes from k + offset into `local` (offsets here are under 128: one byte of LEB128). */
const load = (offset: number, local: number): number[] => [
  op.localGet,
  K,
  ...simd.load,
  offset,
  op.localSet,
  local,
];

/** (v < 0x20 and v != newline), for v in V. */
// prettier-ignore
const control = (): number[] => [
  op.localGet, V, op.localGet, UNDER, ...simd.ltU,
  op.localGet, V, op.localGet, NEWLINE, ...simd.ne,
  ...simd.and,
];

// prettier-ignore
const rough = (n: number): number[] => [
  ...load(n, V),
  ...control(),
  op.localGet, V, op.localGet, BACKSLASH, ...simd.eq,
  ...simd.or,
];

// prettier-ignore
const exact = (n: number): number[] => [
  ...load(n, V),
  ...load(n + 1, W),
  ...control(),
  op.localGet, V, op.localGet, BACKSLASH, ...simd.eq,
  // w is not a short escape's second byte: LOW_HALVES[w & 15] & HIGH_HALVES[w >> 4] == 0
  op.localGet, LOW, op.localGet, W, op.localGet, FIFTEEN, ...simd.and, ...simd.swizzle,
  op.localGet, HIGH, op.localGet, W, op.i32Const, 4, ...simd.shrU, ...simd.swizzle,
  ...simd.and, op.localGet, ZERO, ...simd.eq,
  ...simd.and,
  ...simd.or,
];

/** Returns k + skip + ctz(mask of the exact bytes from k + skip and k + skip + 16), when there are any. */
// prettier-ignore
const returnFirst = (skip: number): number[] => [
  ...exact(skip), ...simd.bitmask,
  ...exact(skip + 16), ...simd.bitmask, op.i32Const, 16, op.i32Shl,
  op.i32Or, op.localTee, MASK,
  op.if, op.void,
  op.localGet, K, ...(skip > 0 ? [op.i32Const, ...sleb(skip), op.i32Add] : []),
  op.localGet, MASK, op.i32Ctz, op.i32Add, op.return,
  op.end,
];

const splat = (value: number, local: number): number[] => [
  op.i32Const,
  ...sleb(value),
  ...simd.splat,
  op.localSet,
  local,
];

// prettier-ignore
const body = [
  2, 1, 0x7f, LOCALS_END - V, 0x7b, // locals: one i32, then the v128s
  ...splat(0x20, UNDER),
  ...splat(0x0a, NEWLINE),
  ...splat(0x5c, BACKSLASH),
  ...simd.const, ...LOW_HALVES, op.localSet, LOW,
  ...simd.const, ...HIGH_HALVES, op.localSet, HIGH,
  ...splat(15, FIFTEEN),
  ...splat(0, ZERO),
  op.block, op.void, // $tail
  op.loop, op.void, // $next
  op.localGet, K, op.i32Const, ...sleb(65), op.i32Add, op.localGet, TO, op.i32GtU, op.brIf, 1,
  ...rough(0), ...rough(16), ...simd.or, ...rough(32), ...rough(48), ...simd.or, ...simd.or,
  ...simd.anyTrue,
  op.if, op.void,
  ...returnFirst(0),
  ...returnFirst(32),
  op.end,
  op.localGet, K, op.i32Const, ...sleb(64), op.i32Add, op.localSet, K,
  op.br, 0,
  op.end, // $next
  op.end, // $tail
  op.localGet, K,
  op.end,
];

/** A section: its id, its size, its content. */
const section = (id: number, content: number[]): number[] => [id, ...leb(content.length), ...content];
/** An unsigned LEB128 number. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return out;
}
const name = (text: string): number[] => [text.length, ...Buffer.from(text, 'latin1')];

// prettier-ignore
const MODULE_BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  ...section(1, [1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f]), // types: (i32, i32) -> i32
  ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1]), // imports: memory, at least 1 page
  ...section(3, [1, 0]), // functions: one, of type 0
  ...section(7, [1, ...name('scan'), 0x00, 0]), // exports: "scan", function 0
  ...section(10, [1, ...leb(body.length), ...body]), // code
]);

type Scan = (k: number, to: number) => number;

/** The part of the WebAssembly API used here (the project's type libraries do not declare it). */
interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface Wasm {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => Memory;
}
const wasm = (globalThis as { WebAssembly?: Wasm }).WebAssembly;

/** The compiled module, or undefined where WebAssembly (or its SIMD) is not available. */
const compiled: object | undefined = (() => {
  try {
    return wasm?.validate(MODULE_BYTES) === true ? new wasm.Module(MODULE_BYTES) : undefined;
  } catch {
    return undefined;
  }
})();

/** Whether lines are checked with the WebAssembly search here (for the tests and the docs). */
export const SIMD_SCAN = compiled !== undefined;

const PAGE = 65_536;

/**
 * The start of the work bytes in the memory: the fast path's control block comes first
 * (fast-path.wat; FastPath in fast-path.ts fills it).
 */
export const WORK_BASE = 16_384;

/** fast-path.wat's `shape`, on addresses of the memory. */
export type ShapeLine = (start: number, end: number, out: number, outLimit: number) => number;

/** fast-path.wat's `shapeLines`: 0 or the answer of the line it stopped at (both in the control block). */
export type ShapeLines = (start: number, limit: number, out: number, outLimit: number) => number;

/** The compiled fast path, or undefined where WebAssembly is not available. */
const shapeModule: object | undefined = (() => {
  try {
    return compiled !== undefined && wasm?.validate(FAST_PATH_MODULE) === true
      ? new wasm.Module(FAST_PATH_MODULE)
      : undefined;
  } catch {
    return undefined;
  }
})();

/** Whether pino's lines are shaped by the WebAssembly fast path here (for the tests and the docs). */
export const FAST_PATH = shapeModule !== undefined;

/** The ScanBuffer whose `bytes` a Buffer is (shapeBytes finds the fast path of its memory). */
const owners = new WeakMap<Uint8Array, ScanBuffer>();

/** The ScanBuffer whose work bytes `bytes` is, if any. */
export const scanBufferOf = (bytes: Uint8Array): ScanBuffer | undefined => owners.get(bytes);

/**
 * A byte buffer for the worker's work (shaping reads lines from it and writes lines into it) that
 * the WebAssembly search and fast path can read: `bytes` is a Buffer over their memory, after the
 * fast path's control block. Growing keeps the bytes in place; a buffer made smaller is a new memory.
 */
export class ScanBuffer {
  /** The bytes; a new Buffer after every `resize`. */
  bytes: Buffer;
  /** The fast path's control block (a new Buffer after every `resize`), or empty without WebAssembly. */
  control: Buffer = Buffer.alloc(0);
  /** The fast path of this memory (addresses are `WORK_BASE` past indexes of `bytes`), or undefined. */
  shapeLine: ShapeLine | undefined;
  shapeLines: ShapeLines | undefined;
  /**
   * Which shaper's key rules the control block holds, and their version (RecordShaper writes its
   * own before it shapes here; a new memory starts empty).
   */
  controlOwner: object | undefined;
  controlVersion = -1;
  /** The time of the header in the control block (NaN: none), and its logger as JSON text. */
  headerTime = NaN;
  headerLogger = '';
  /** The address of `bytes[0]` in the memory. */
  readonly base = WORK_BASE;
  private scan: Scan | undefined;

  constructor(size: number) {
    this.bytes = Buffer.alloc(0);
    this.scan = undefined;
    this.resize(size, 0);
  }

  /**
   * Makes the buffer `size` bytes long, keeping its first `keep` bytes. A larger buffer grows the
   * memory in place; a smaller one is a new memory (a memory cannot shrink), so a spike is given back.
   */
  resize(size: number, keep: number): void {
    // The fast path may read up to 15 bytes past the work bytes (fast-path.wat, $copy).
    const pages = Math.ceil((WORK_BASE + size + 64) / PAGE);
    if (compiled === undefined || wasm === undefined) {
      const bytes = Buffer.allocUnsafe(size);
      this.bytes.copy(bytes, 0, 0, keep);
      this.bytes = bytes;
      return;
    }
    const old = this.bytes;
    this.pieceStart = this.pieceEnd = this.clearUntil = 0; // the next piece is announced again
    owners.delete(old);
    if (this.scan !== undefined && size >= old.length) {
      const memory = this.memory as Memory;
      const more = pages - memory.buffer.byteLength / PAGE;
      if (more > 0) memory.grow(more);
      this.view(memory, size);
      return;
    }
    const memory = new wasm.Memory({ initial: pages });
    const instance = new wasm.Instance(compiled, { env: { memory } });
    this.memory = memory;
    this.scan = instance.exports.scan as Scan;
    const shape = shapeModule === undefined ? undefined : new wasm.Instance(shapeModule, { env: { memory } });
    this.shapeLine = shape?.exports.shape as ShapeLine | undefined;
    this.shapeLines = shape?.exports.shapeLines as ShapeLines | undefined;
    this.controlOwner = undefined;
    this.view(memory, size);
    if (keep > 0) old.copy(this.bytes, 0, 0, keep);
  }

  /** Makes `bytes` and `control` views of the memory (growing it detaches the old ones). */
  private view(memory: Memory, size: number): void {
    this.bytes = Buffer.from(memory.buffer, WORK_BASE, size);
    this.control = Buffer.from(memory.buffer, 0, WORK_BASE);
    owners.set(this.bytes, this);
  }

  private memory: Memory | undefined;
  /** The piece of input `begin` announced: `[pieceStart, pieceEnd)` of `bytes`. */
  pieceStart = 0;
  private pieceEnd = 0;
  /**
   * From `pieceStart` up to here the piece holds no byte to look at (known from the last search):
   * a line inside is plain without a call (the transport compares, the hot path of every line).
   */
  clearUntil = 0;

  /**
   * Announces that `bytes[from, to)` now holds a piece of input whose lines are checked in order
   * with `plain`: the piece is searched ahead as far as it is clear, once, however many lines it has.
   */
  begin(from: number, to: number): void {
    this.pieceStart = from;
    this.pieceEnd = to;
    this.clearUntil = from;
  }

  /**
   * How far from `k` (inside the piece announced with `begin`) the piece holds no byte to look at:
   * lines before that are plain. The search runs ahead from `k` if it has not yet.
   */
  clearEnd(k: number): number {
    if (k < this.clearUntil) return this.clearUntil;
    const scan = this.scan;
    if (scan === undefined || k < this.pieceStart || this.pieceEnd - k < 65) return k;
    this.clearUntil = scan(k + WORK_BASE, this.pieceEnd + WORK_BASE) - WORK_BASE;
    return this.clearUntil;
  }

  /**
   * Whether `bytes[from, to)` — a line, without its newline — has no byte under 0x20 and only
   * escapes JSON allows. Fast for a line of the piece announced with `begin`, checked in order; for
   * anything else the check runs byte by byte in JavaScript.
   */
  plain(bytes: Buffer, from: number, to: number): boolean {
    const scan = this.scan;
    if (scan === undefined || bytes !== this.bytes || from < this.pieceStart || to > this.pieceEnd) {
      return plainBytes(bytes, from, to);
    }
    let k = from;
    for (;;) {
      if (k < this.clearUntil) k = this.clearUntil;
      if (k >= to) return true;
      // The piece's last bytes (fewer than 65) are read here one by one, escapes by the rule below.
      const found = this.pieceEnd - k < 65 ? k : scan(k + WORK_BASE, this.pieceEnd + WORK_BASE) - WORK_BASE;
      this.clearUntil = found;
      if (found >= to) return true;
      k = found;
      const c = bytes[k];
      if (c === 92) {
        // A backslash after an odd run of backslashes is the second of a `\\`; any other starts an escape.
        let run = 0;
        while (k - run - 1 >= from && bytes[k - run - 1] === 92) run++;
        if ((run & 1) === 0) {
          k = escapeEnd(bytes, k, to);
          if (k === -1) return false;
        } else {
          k++;
        }
      } else if (c < 32) {
        return false;
      } else {
        k++;
      }
      this.clearUntil = k;
    }
  }
}

/** Whether `c` is an ASCII hexadecimal digit. */
function isHexDigit(c: number): boolean {
  const lower = c | 32;
  return (c >= 48 && c <= 57) || (lower >= 97 && lower <= 102);
}

/**
 * Index after the escape whose backslash is at `k` and which ends by `limit`, or -1 when JSON does
 * not allow it (`\" \\ \/ \b \f \n \r \t \uXXXX`: pino writes only these, without `\/`).
 */
export function escapeEnd(bytes: Uint8Array, k: number, limit: number): number {
  const e = bytes[k + 1];
  if (e === 34 || e === 92 || e === 47 || e === 110 || e === 116 || e === 114 || e === 98 || e === 102) {
    return k + 2 <= limit ? k + 2 : -1;
  }
  if (
    e === 117 &&
    k + 6 <= limit &&
    isHexDigit(bytes[k + 2]) &&
    isHexDigit(bytes[k + 3]) &&
    isHexDigit(bytes[k + 4]) &&
    isHexDigit(bytes[k + 5])
  ) {
    return k + 6;
  }
  return -1;
}

/** The same check as ScanBuffer.plain, in JavaScript, one byte at a time. */
export function plainBytes(bytes: Uint8Array, from: number, to: number): boolean {
  let k = from;
  while (k < to) {
    const c = bytes[k];
    if (c === 92) {
      k = escapeEnd(bytes, k, to);
      if (k === -1) return false;
    } else if (c < 32) {
      return false;
    } else {
      k++;
    }
  }
  return true;
}
