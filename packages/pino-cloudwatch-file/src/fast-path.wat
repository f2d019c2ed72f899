;; The fast path for pino's own lines (fast-path.ts is its JavaScript side and holds the layout below).
;; `shape` reads one line of the worker's work buffer and writes its CloudWatch line into the output
;; region of the same buffer, or tells the caller why it did not. It runs over the bytes once, as a
;; JavaScript loop over a Buffer did at several times the cost (docs/design.md, "Where the time goes").
;;
;; It never decides a rule of its own: the key rules (shape.ts, KeyRules) and the header (the record's
;; `@timestamp`, level and logger) are written into the control block by JavaScript. A line goes to the
;; general path (NOT_PINO) for anything but what pino writes: a key with a rule other than the error
;; key, a key spelled with escapes, a value that is not compact JSON, a prefix out of pino's order.
;;
;; Rebuild fast-path-module.ts after a change: `npm run build:wasm -w pino-cloudwatch-file` (wabt's
;; wat2wasm); a test checks that the two agree.
(module
  (import "env" "memory" (memory 1))

  ;; The control block (offsets in bytes; the same numbers are in fast-path.ts).
  ;;   0 i32 show pid            4 i32 show hostname     8 i32 header length (-1: none yet)
  ;;  12 i32 header's level     16 i32 header's logger name length (-1: no name)
  ;;  20 i32 message needle length   24 i32 number of key rules   28 i32 shapeLines: where it stopped
  ;;  32 f64 header's time
  ;;  40 i32 parsed level       44 i32 parsed name start (-1: none)   48 i32 parsed name end
  ;;  52 i32 shapeLines: the end of its output
  ;;  56 f64 parsed time
  ;;  64 the open containers of $valueEnd (64 bytes)
  ;; 128 the key rules' first-byte masks, an i32 per key length 0-63
  ;; 384 the 16 bytes the header's time was read from, 400 i32 its digits (0: none); 416 and 432 the
  ;;     same for the parsed record; 436 i32 whether its logger name is the header's
  ;; 464 `,"error":`; 476 i32 the longest line taken, in bytes; then the message needle at 480 (`,"<messageKey>":"`, at most 96 bytes)
  ;; 576 the key rules: [length u8][kind u8][bytes], kind 1 = the error key, 2 = any other rule
  ;; 2048 the header's logger name (at most 4096 bytes)
  ;; 6144 the header (at most 10240 bytes), up to the work buffer at 16384
  (data (i32.const 464) ",\"error\":")

  ;; Whether the `$len` bytes at `$pat` stand at `$at`, entirely before `$limit`.
  (func $match (param $at i32) (param $limit i32) (param $pat i32) (param $len i32) (result i32)
    (if (i32.gt_u (i32.add (local.get $at) (local.get $len)) (local.get $limit))
      (then (return (i32.const 0))))
    (block $tail
      (loop $words
        (br_if $tail (i32.lt_u (local.get $len) (i32.const 8)))
        (if (i64.ne (i64.load (local.get $at)) (i64.load (local.get $pat)))
          (then (return (i32.const 0))))
        (local.set $at (i32.add (local.get $at) (i32.const 8)))
        (local.set $pat (i32.add (local.get $pat) (i32.const 8)))
        (local.set $len (i32.sub (local.get $len) (i32.const 8)))
        (br $words)))
    (block $done
      (loop $bytes
        (br_if $done (i32.eqz (local.get $len)))
        (if (i32.ne (i32.load8_u (local.get $at)) (i32.load8_u (local.get $pat)))
          (then (return (i32.const 0))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (local.set $pat (i32.add (local.get $pat) (i32.const 1)))
        (local.set $len (i32.sub (local.get $len) (i32.const 1)))
        (br $bytes)))
    (i32.const 1))

  ;; Index of the quote closing the string that opens at `$k`, before `$limit`, or -1. The caller has
  ;; checked the line's escapes (plain-scan.ts): a backslash and the byte after it are passed over.
  ;; Sixteen bytes at a time while they fit before `$limit`: the first quote or backslash among them.
  (func $stringEnd (param $k i32) (param $limit i32) (result i32)
    (local $c i32) (local $v v128) (local $mask i32)
    (local.set $k (i32.add (local.get $k) (i32.const 1)))
    (loop $next
      (if (i32.le_u (i32.add (local.get $k) (i32.const 16)) (local.get $limit))
        (then
          (local.set $v (v128.load (local.get $k)))
          (local.set $mask (i8x16.bitmask (v128.or
            (i8x16.eq (local.get $v) (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))
            (i8x16.eq (local.get $v) (v128.const i8x16 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92)))))
          (if (i32.eqz (local.get $mask))
            (then
              (local.set $k (i32.add (local.get $k) (i32.const 16)))
              (br $next)))
          (local.set $k (i32.add (local.get $k) (i32.ctz (local.get $mask)))))
        (else
          (if (i32.ge_u (local.get $k) (local.get $limit)) (then (return (i32.const -1))))))
      (local.set $c (i32.load8_u (local.get $k)))
      (if (i32.eq (local.get $c) (i32.const 34)) (then (return (local.get $k))))
      (local.set $k (i32.add (local.get $k)
        (select (i32.const 2) (i32.const 1) (i32.eq (local.get $c) (i32.const 92)))))
      (br $next))
    (unreachable))

  ;; Index of the quote closing a key whose first byte is at `$k`, before `$limit`, when the key has no
  ;; backslash (so its bytes are the key itself: a key spelled with escapes takes the general path);
  ;; else -1.
  (func $plainKeyEnd (param $k i32) (param $limit i32) (result i32)
    (local $c i32) (local $mask i32) (local $v v128)
    (loop $next
      (if (i32.le_u (i32.add (local.get $k) (i32.const 16)) (local.get $limit))
        (then
          (local.set $v (v128.load (local.get $k)))
          (local.set $mask (i8x16.bitmask (v128.or
            (i8x16.eq (local.get $v) (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))
            (i8x16.eq (local.get $v) (v128.const i8x16 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92)))))
          (if (i32.eqz (local.get $mask))
            (then
              (local.set $k (i32.add (local.get $k) (i32.const 16)))
              (br $next)))
          (local.set $k (i32.add (local.get $k) (i32.ctz (local.get $mask)))))
        (else
          (if (i32.ge_u (local.get $k) (local.get $limit)) (then (return (i32.const -1))))
          (local.set $c (i32.load8_u (local.get $k)))
          (if (i32.and (i32.ne (local.get $c) (i32.const 34)) (i32.ne (local.get $c) (i32.const 92)))
            (then
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $next))))))
    (select (local.get $k) (i32.const -1) (i32.eq (i32.load8_u (local.get $k)) (i32.const 34))))

  ;; Whether the byte at `$q` is escaped: an odd run of backslashes stands before it.
  (func $escaped (param $q i32) (result i32)
    (local $k i32)
    (local.set $k (i32.sub (local.get $q) (i32.const 1)))
    (block $done
      (loop $back
        (br_if $done (i32.ne (i32.load8_u (local.get $k)) (i32.const 92)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $back)))
    (i32.and (i32.sub (i32.sub (local.get $q) (local.get $k)) (i32.const 1)) (i32.const 1)))

  ;; Index after the run of one or more digits at `$k`, or -1 when there is none.
  (func $digitsEnd (param $k i32) (result i32)
    (local $from i32)
    (local.set $from (local.get $k))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.sub (i32.load8_u (local.get $k)) (i32.const 48)) (i32.const 9)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (select (local.get $k) (i32.const -1) (i32.gt_u (local.get $k) (local.get $from))))

  ;; Index just past the number, `true`, `false` or `null` at `$k` (which ends by `$limit`), or -1.
  (func $literalEnd (param $k i32) (param $limit i32) (result i32)
    (local $c i32)
    (local.set $c (i32.load8_u (local.get $k)))
    (if (i32.eq (local.get $c) (i32.const 116)) ;; t
      (then (return (select (i32.add (local.get $k) (i32.const 4)) (i32.const -1)
        (i32.and (i32.le_u (i32.add (local.get $k) (i32.const 4)) (local.get $limit))
                 (i32.eq (i32.load (local.get $k)) (i32.const 0x65757274)))))))
    (if (i32.eq (local.get $c) (i32.const 110)) ;; n
      (then (return (select (i32.add (local.get $k) (i32.const 4)) (i32.const -1)
        (i32.and (i32.le_u (i32.add (local.get $k) (i32.const 4)) (local.get $limit))
                 (i32.eq (i32.load (local.get $k)) (i32.const 0x6c6c756e)))))))
    (if (i32.eq (local.get $c) (i32.const 102)) ;; f
      (then (return (select (i32.add (local.get $k) (i32.const 5)) (i32.const -1)
        (i32.and (i32.le_u (i32.add (local.get $k) (i32.const 5)) (local.get $limit))
          (i32.and (i32.eq (i32.load (local.get $k)) (i32.const 0x736c6166))
                   (i32.eq (i32.load8_u offset=4 (local.get $k)) (i32.const 101))))))))
    (if (i32.eq (local.get $c) (i32.const 45)) ;; -
      (then
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $k)))))
    (if (i32.eq (local.get $c) (i32.const 48)) ;; 0
      (then (local.set $k (i32.add (local.get $k) (i32.const 1))))
      (else
        (if (i32.gt_u (i32.sub (local.get $c) (i32.const 49)) (i32.const 8)) (then (return (i32.const -1))))
        (local.set $k (call $digitsEnd (local.get $k)))))
    (local.set $c (i32.load8_u (local.get $k)))
    (if (i32.eq (local.get $c) (i32.const 46)) ;; .
      (then
        (local.set $k (call $digitsEnd (i32.add (local.get $k) (i32.const 1))))
        (if (i32.eq (local.get $k) (i32.const -1)) (then (return (i32.const -1))))
        (local.set $c (i32.load8_u (local.get $k)))))
    (if (i32.eq (i32.or (local.get $c) (i32.const 32)) (i32.const 101)) ;; e or E
      (then
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $k)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 43)) (i32.eq (local.get $c) (i32.const 45)))
          (then (local.set $k (i32.add (local.get $k) (i32.const 1)))))
        (local.set $k (call $digitsEnd (local.get $k)))))
    (local.get $k))

  ;; Index after `"key":` at `$k`, or -1.
  (func $memberStart (param $k i32) (param $limit i32) (result i32)
    (if (i32.ne (i32.load8_u (local.get $k)) (i32.const 34)) (then (return (i32.const -1))))
    (local.set $k (call $stringEnd (local.get $k) (local.get $limit)))
    (if (i32.eq (local.get $k) (i32.const -1)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load8_u offset=1 (local.get $k)) (i32.const 58)) (then (return (i32.const -1))))
    (i32.add (local.get $k) (i32.const 2)))

  ;; Index just past the JSON value at `$k` that ends by `$limit`, or -1 when it is not one: a string, a
  ;; literal, or an object or array written compactly whose every member is checked the same way, up
  ;; to 64 deep.
  (func $valueEnd (param $k i32) (param $limit i32) (result i32)
    (local $depth i32) (local $c i32) (local $close i32)
    (loop $value
      (if (i32.ge_u (local.get $k) (local.get $limit)) (then (return (i32.const -1))))
      (local.set $c (i32.load8_u (local.get $k)))
      (block $after_value
        (if (i32.eq (local.get $c) (i32.const 34))
          (then
            (local.set $k (call $stringEnd (local.get $k) (local.get $limit)))
            (if (i32.eq (local.get $k) (i32.const -1)) (then (return (i32.const -1))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $after_value)))
        (if (i32.eq (i32.or (local.get $c) (i32.const 32)) (i32.const 123)) ;; { or [
          (then
            (if (i32.eq (i32.load8_u offset=1 (local.get $k)) (i32.add (local.get $c) (i32.const 2)))
              (then ;; {} or []
                (local.set $k (i32.add (local.get $k) (i32.const 2)))
                (br $after_value)))
            (if (i32.eq (local.get $depth) (i32.const 64)) (then (return (i32.const -1))))
            (i32.store8 offset=64 (local.get $depth) (local.get $c))
            (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (if (i32.eq (local.get $c) (i32.const 123))
              (then (local.set $k (call $memberStart (local.get $k) (local.get $limit)))))
            (if (i32.eq (local.get $k) (i32.const -1)) (then (return (i32.const -1))))
            (br $value)))
        (local.set $k (call $literalEnd (local.get $k) (local.get $limit)))
        (if (i32.eq (local.get $k) (i32.const -1)) (then (return (i32.const -1)))))
      ;; After a value: the next member of its container, or the container's end.
      (loop $after
        (if (i32.eqz (local.get $depth))
          (then (return (select (local.get $k) (i32.const -1) (i32.le_u (local.get $k) (local.get $limit))))))
        (if (i32.ge_u (local.get $k) (local.get $limit)) (then (return (i32.const -1))))
        (local.set $c (i32.load8_u (local.get $k)))
        ;; the opener is `{` (123) or `[` (91); its closer is two more
        (local.set $close (i32.add (i32.load8_u offset=63 (local.get $depth)) (i32.const 2)))
        (if (i32.eq (local.get $c) (i32.const 44))
          (then
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (if (i32.eq (local.get $close) (i32.const 125))
              (then (local.set $k (call $memberStart (local.get $k) (local.get $limit)))))
            (if (i32.eq (local.get $k) (i32.const -1)) (then (return (i32.const -1))))
            (br $value)))
        (if (i32.ne (local.get $c) (local.get $close)) (then (return (i32.const -1))))
        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $after)))
    (unreachable))

;; Index just past the JSON value at `$k` (ending by `$limit`), or -1, as $valueEnd: a whole number
  ;; (the usual value that is not a string) is read here, anything else there.
  (func $numberEnd (param $k i32) (param $limit i32) (result i32)
    (local $p i32) (local $c i32)
    (if (i32.gt_u (i32.sub (i32.load8_u (local.get $k)) (i32.const 49)) (i32.const 8))
      (then (return (call $valueEnd (local.get $k) (local.get $limit)))))
    (local.set $p (local.get $k))
    (loop $digit
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $digit (i32.le_u (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)) (i32.const 9))))
    (local.set $c (i32.load8_u (local.get $p)))
    (if (i32.or (i32.eq (local.get $c) (i32.const 46)) (i32.eq (i32.or (local.get $c) (i32.const 32)) (i32.const 101)))
      (then (return (call $valueEnd (local.get $k) (local.get $limit)))))
    (select (local.get $p) (i32.const -1) (i32.le_u (local.get $p) (local.get $limit))))

  ;; The rule of the key `[$from, $to)`: 0 none (copied as it is), 1 the error key, 2 any other.
  (func $rule (param $from i32) (param $to i32) (result i32)
    (local $len i32) (local $e i32) (local $n i32)
    (local.set $len (i32.sub (local.get $to) (local.get $from)))
    (if (i32.ge_u (local.get $len) (i32.const 64)) (then (return (i32.const 0))))
    (if (i32.eqz (i32.and
          (i32.shr_u (i32.load offset=128 (i32.shl (local.get $len) (i32.const 2)))
                     (i32.and (i32.load8_u (local.get $from)) (i32.const 31)))
          (i32.const 1)))
      (then (return (i32.const 0))))
    (local.set $e (i32.const 576))
    (local.set $n (i32.load (i32.const 24)))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (if (i32.eq (i32.load8_u (local.get $e)) (local.get $len))
          (then
            (if (call $match (local.get $from) (local.get $to) (i32.add (local.get $e) (i32.const 2)) (local.get $len))
              (then (return (i32.load8_u offset=1 (local.get $e)))))))
        (local.set $e (i32.add (i32.add (local.get $e) (i32.const 2)) (i32.load8_u (local.get $e))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.const 0))

  ;; Copies `$n` bytes from `$from` to `$to` (apart) and returns the end of the copy. Up to 256 bytes
  ;; sixteen at a time, the last sixteen ending up to 15 bytes past the copy (memory.copy's call costs
  ;; more than such a copy): `shape` keeps 48 bytes of room after its output, and the memory extends
  ;; at least 64 bytes past the work buffer (ScanBuffer), so no read or write leaves it.
  (func $copy (param $to i32) (param $from i32) (param $n i32) (result i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $to) (local.get $n)))
    (if (i32.gt_u (local.get $n) (i32.const 256))
      (then
        (memory.copy (local.get $to) (local.get $from) (local.get $n))
        (return (local.get $end))))
    (block $done
      (loop $vectors
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (v128.store (local.get $to) (v128.load (local.get $from)))
        (local.set $to (i32.add (local.get $to) (i32.const 16)))
        (local.set $from (i32.add (local.get $from) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 16)))
        (br $vectors)))
    (local.get $end))

  ;; Shapes the line `[$start, $end)` (no newline) into `[$out, $outLimit)`, newline included, and
  ;; returns the end of what it wrote; or -1: the line takes the general path; -2: it might not fit;
  ;; -3: the line is pino's, but the header is not the one in the control block: the parsed level,
  ;; time and name are in the control block, for the caller to write the header and call again.
  (func $shape (export "shape") (param $start i32) (param $end i32) (param $out i32) (param $outLimit i32) (result i32)
    (local $i i32) (local $c i32) (local $level i32) (local $time i64) (local $digits i32)
    (local $from i32) (local $pidFrom i32) (local $pidTo i32) (local $hostFrom i32) (local $hostTo i32)
    (local $nameStart i32) (local $nameEnd i32) (local $nameLen i32)
    (local $last i32) (local $fieldsEnd i32) (local $messageStart i32) (local $open i32) (local $at i32)
    (local $p i32) (local $keyEnd i32) (local $errorAt i32) (local $errorValue i32) (local $o i32)
    (local $timeF f64) (local $timeAt i32) (local $digitsEnd i32) (local $mask i32) (local $v v128)
    (local $nameSame i32)
    (local.set $last (i32.sub (local.get $end) (i32.const 1)))
    (if (i32.lt_s (local.get $last) (local.get $start)) (then (return (i32.const -1))))
    (if (i32.gt_u (i32.sub (local.get $end) (local.get $start)) (i32.load (i32.const 476)))
      (then (return (i32.const -1))))
    (if (i32.ne (i32.load8_u (local.get $last)) (i32.const 125)) (then (return (i32.const -1))))

    ;; pino's prefix: {"level":N,"time":T then pid, hostname and name when present
    ;; the patterns as little-endian numbers; every read here is before `$end` (the line's last byte is `}`)
    (if (i32.gt_u (i32.add (local.get $start) (i32.const 10)) (local.get $end)) (then (return (i32.const -1))))
    (if (i64.ne (i64.load (local.get $start)) (i64.const 0x226c6576656c227b)) (then (return (i32.const -1)))) ;; {"level"
    (if (i32.ne (i32.load8_u offset=8 (local.get $start)) (i32.const 58)) (then (return (i32.const -1)))) ;; :
    (local.set $i (i32.add (local.get $start) (i32.const 9)))
    (local.set $from (local.get $i))
    (block $done
      (loop $next
        (local.set $c (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
        (br_if $done (i32.gt_u (local.get $c) (i32.const 9)))
        (local.set $level (i32.add (i32.mul (local.get $level) (i32.const 10)) (local.get $c)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.set $digits (i32.sub (local.get $i) (local.get $from)))
    (if (i32.or (i32.eqz (local.get $digits)) (i32.gt_u (local.get $digits) (i32.const 9)))
      (then (return (i32.const -1))))
    (if (i32.gt_u (i32.add (local.get $i) (i32.const 9)) (local.get $end)) (then (return (i32.const -1))))
    (if (i64.ne (i64.load (local.get $i)) (i64.const 0x3a22656d6974222c)) (then (return (i32.const -1)))) ;; ,"time":
    (local.set $i (i32.add (local.get $i) (i32.const 8)))
    (local.set $from (local.get $i))
    ;; the header's time, when the sixteen bytes from here are those it was read from (its digits and
    ;; what followed them): the usual case, many records a millisecond
    (if (i32.and (i32.gt_s (i32.load (i32.const 400)) (i32.const 0))
          (i32.and (i32.le_u (i32.add (local.get $i) (i32.const 16)) (local.get $end))
                   (i8x16.all_true (i8x16.eq (v128.load (local.get $i)) (v128.load (i32.const 384))))))
      (then
        (local.set $timeF (f64.load (i32.const 32)))
        (local.set $i (i32.add (local.get $i) (i32.load (i32.const 400)))))
      (else
        (block $done
          (loop $next
            (local.set $c (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
            (br_if $done (i32.gt_u (local.get $c) (i32.const 9)))
            (local.set $time (i64.add (i64.mul (local.get $time) (i64.const 10)) (i64.extend_i32_u (local.get $c))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (local.set $digits (i32.sub (local.get $i) (local.get $from)))
        (if (i32.or (i32.eqz (local.get $digits)) (i32.gt_u (local.get $digits) (i32.const 15)))
          (then (return (i32.const -1))))
        (local.set $timeF (f64.convert_i64_u (local.get $time)))))
    (local.set $timeAt (local.get $from))
    (local.set $digitsEnd (local.get $i))
    (local.set $pidFrom (i32.const -1))
    (if (i32.and (i32.le_u (i32.add (local.get $i) (i32.const 8)) (local.get $end)) ;; ,"pid":
          (i32.and (i32.eq (i32.load (local.get $i)) (i32.const 0x6970222c))
                   (i32.eq (i32.load offset=3 (local.get $i)) (i32.const 0x3a226469))))
      (then
        (local.set $from (local.get $i))
        (local.set $i (call $numberEnd (i32.add (local.get $i) (i32.const 7)) (local.get $end)))
        (if (i32.eq (local.get $i) (i32.const -1)) (then (return (i32.const -1))))
        (if (i32.load (i32.const 0))
          (then (local.set $pidFrom (local.get $from)) (local.set $pidTo (local.get $i))))))
    (local.set $hostFrom (i32.const -1))
    (if (i32.and (i32.le_u (i32.add (local.get $i) (i32.const 14)) (local.get $end)) ;; ,"hostname":"
          (i32.and (i64.eq (i64.load (local.get $i)) (i64.const 0x616e74736f68222c))
                   (i64.eq (i64.load offset=5 (local.get $i)) (i64.const 0x223a22656d616e74))))
      (then
        (local.set $from (local.get $i))
        (local.set $i (call $stringEnd (i32.add (local.get $i) (i32.const 12)) (local.get $end)))
        (if (i32.eq (local.get $i) (i32.const -1)) (then (return (i32.const -1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.load (i32.const 4))
          (then (local.set $hostFrom (local.get $from)) (local.set $hostTo (local.get $i))))))
    (local.set $nameStart (i32.const -1))
    (if (i32.and (i32.le_u (i32.add (local.get $i) (i32.const 10)) (local.get $end)) ;; ,"name":"
          (i32.and (i64.eq (i64.load (local.get $i)) (i64.const 0x3a22656d616e222c))
                   (i64.eq (i64.load offset=1 (local.get $i)) (i64.const 0x223a22656d616e22))))
      (then
        (local.set $nameStart (i32.add (local.get $i) (i32.const 8)))
        (local.set $nameEnd (call $stringEnd (local.get $nameStart) (local.get $end)))
        (if (i32.eq (local.get $nameEnd) (i32.const -1)) (then (return (i32.const -1))))
        (local.set $nameEnd (i32.add (local.get $nameEnd) (i32.const 1)))
        (local.set $i (local.get $nameEnd))))

    ;; the header in the control block must be this record's: same millisecond, level and logger
    (local.set $nameLen (i32.load (i32.const 16)))
    (local.set $nameSame
      (if (result i32) (i32.eq (local.get $nameStart) (i32.const -1))
        (then (i32.eq (local.get $nameLen) (i32.const -1)))
        (else (i32.and
          (i32.eq (local.get $nameLen) (i32.sub (local.get $nameEnd) (local.get $nameStart)))
          (if (result i32) (i32.and (i32.lt_u (local.get $nameLen) (i32.const 8))
                                    (i32.le_u (i32.add (local.get $nameStart) (i32.const 8)) (local.get $end)))
            (then ;; a short name (with its quotes), compared in one read
              (i64.eqz (i64.and (i64.xor (i64.load (local.get $nameStart)) (i64.load (i32.const 2048)))
                (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (i32.shl (local.get $nameLen) (i32.const 3))))
                         (i64.const 1)))))
            (else
              (call $match (local.get $nameStart) (local.get $nameEnd) (i32.const 2048) (local.get $nameLen))))))))
    (if (i32.or
          (i32.or (i32.lt_s (i32.load (i32.const 8)) (i32.const 0))
                  (i32.ne (local.get $level) (i32.load (i32.const 12))))
          (i32.or (f64.ne (local.get $timeF) (f64.load (i32.const 32))) (i32.eqz (local.get $nameSame))))
      (then
        (i32.store (i32.const 436) (local.get $nameSame))
        (i32.store (i32.const 40) (local.get $level))
        (i32.store (i32.const 44) (local.get $nameStart))
        (i32.store (i32.const 48) (local.get $nameEnd))
        (f64.store (i32.const 56) (local.get $timeF))
        ;; the sixteen bytes the time was read from, for the header's (see above)
        (if (i32.le_u (i32.add (local.get $timeAt) (i32.const 16)) (local.get $end))
          (then
            (v128.store (i32.const 416) (v128.load (local.get $timeAt)))
            (i32.store (i32.const 432) (i32.sub (local.get $digitsEnd) (local.get $timeAt))))
          (else (i32.store (i32.const 432) (i32.const 0))))
        (return (i32.const -3))))

    ;; the message string ends the line; its opening quote is the first unescaped quote before its end,
    ;; and the message key must stand right before
    (local.set $fieldsEnd (local.get $last))
    (local.set $messageStart (i32.const -1))
    (if (i32.eq (i32.load8_u (i32.sub (local.get $last) (i32.const 1))) (i32.const 34))
      (then
        ;; sixteen bytes at a time, backwards, while they are after `$i`
        (local.set $open (i32.sub (local.get $last) (i32.const 2)))
        (block $found
          (loop $back
            (if (i32.ge_s (i32.sub (local.get $open) (i32.const 15)) (local.get $i))
              (then
                (local.set $c (i8x16.bitmask (i8x16.eq (v128.load offset=0 (i32.sub (local.get $open) (i32.const 15)))
                  (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))))
                (if (i32.eqz (local.get $c))
                  (then
                    (local.set $open (i32.sub (local.get $open) (i32.const 16)))
                    (br $back)))
                (local.set $open (i32.sub (local.get $open) (i32.sub (i32.clz (local.get $c)) (i32.const 16)))))
              (else
                (if (i32.lt_s (local.get $open) (local.get $i))
                  (then (local.set $open (i32.const -1)) (br $found)))
                (if (i32.ne (i32.load8_u (local.get $open)) (i32.const 34))
                  (then
                    (local.set $open (i32.sub (local.get $open) (i32.const 1)))
                    (br $back)))))
            ;; a quote at `$open`: the string's opening one unless it is escaped
            (br_if $found (i32.eqz (call $escaped (local.get $open))))
            (local.set $open (i32.sub (local.get $open) (i32.const 1)))
            (br $back)))
        (local.set $at (i32.add (i32.sub (local.get $open) (i32.load (i32.const 20))) (i32.const 1)))
        (if (i32.and (i32.ne (local.get $open) (i32.const -1)) (i32.ge_s (local.get $at) (local.get $i)))
          (then
            (if (call $match (local.get $at) (local.get $end) (i32.const 480) (i32.load (i32.const 20)))
              (then
                ;; `"\"}`: the line's last string is not closed
                (if (call $escaped (i32.sub (local.get $last) (i32.const 1))) (then (return (i32.const -1))))
                (local.set $messageStart (local.get $open))
                (local.set $fieldsEnd (local.get $at))))))))

    ;; the fields between: each `,"key":value`, checked, the error key found
    (local.set $errorAt (i32.const -1))
    (local.set $p (local.get $i))
    (block $walked
      (loop $field
        (br_if $walked (i32.ge_u (local.get $p) (local.get $fieldsEnd)))
        (if (i32.ne (i32.load16_u (local.get $p)) (i32.const 0x222c)) (then (return (i32.const -1)))) ;; ,"
        ;; the key: no escape in it, so its bytes are the key itself. Most keys end within sixteen
        ;; bytes: those are found here, longer ones by $plainKeyEnd.
        (local.set $keyEnd (i32.add (local.get $p) (i32.const 2)))
        (local.set $mask (i32.const 0))
        (if (i32.le_u (i32.add (local.get $keyEnd) (i32.const 16)) (local.get $fieldsEnd))
          (then
            (local.set $v (v128.load (local.get $keyEnd)))
            (local.set $mask (i8x16.bitmask (v128.or
              (i8x16.eq (local.get $v) (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))
              (i8x16.eq (local.get $v) (v128.const i8x16 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92)))))))
        (if (local.get $mask)
          (then
            (local.set $keyEnd (i32.add (local.get $keyEnd) (i32.ctz (local.get $mask))))
            (if (i32.ne (i32.load8_u (local.get $keyEnd)) (i32.const 34)) (then (return (i32.const -1)))))
          (else
            (local.set $keyEnd (call $plainKeyEnd (local.get $keyEnd) (local.get $fieldsEnd)))
            (if (i32.eq (local.get $keyEnd) (i32.const -1)) (then (return (i32.const -1))))))
        (if (i32.ne (i32.load8_u offset=1 (local.get $keyEnd)) (i32.const 58)) (then (return (i32.const -1))))
        ;; most keys have no rule: their length and first byte tell at once
        (local.set $c (i32.sub (local.get $keyEnd) (i32.add (local.get $p) (i32.const 2))))
        (local.set $c (if (result i32)
          (i32.and (i32.lt_u (local.get $c) (i32.const 64))
            (i32.shr_u (i32.load offset=128 (i32.shl (local.get $c) (i32.const 2)))
                       (i32.and (i32.load8_u offset=2 (local.get $p)) (i32.const 31))))
          (then (call $rule (i32.add (local.get $p) (i32.const 2)) (local.get $keyEnd)))
          (else (i32.const 0))))
        (if (local.get $c)
          (then
            (if (i32.or (i32.ne (local.get $c) (i32.const 1)) (i32.ne (local.get $errorAt) (i32.const -1)))
              (then (return (i32.const -1))))
            (local.set $errorAt (local.get $p))
            (local.set $errorValue (i32.add (local.get $keyEnd) (i32.const 2)))))
        (local.set $p (i32.add (local.get $keyEnd) (i32.const 2)))
        (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 34))
          (then
            ;; a string value: its closing quote within sixteen bytes is found here, else by $stringEnd
            (local.set $mask (i32.const 0))
            (if (i32.le_u (i32.add (local.get $p) (i32.const 17)) (local.get $fieldsEnd))
              (then
                (local.set $v (v128.load offset=1 (local.get $p)))
                (local.set $mask (i8x16.bitmask (v128.or
                  (i8x16.eq (local.get $v) (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))
                  (i8x16.eq (local.get $v) (v128.const i8x16 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92)))))))
            (if (i32.and (i32.ne (local.get $mask) (i32.const 0))
                         (i32.eq (i32.load8_u offset=1 (i32.add (local.get $p) (i32.ctz (local.get $mask)))) (i32.const 34)))
              (then (local.set $p (i32.add (i32.add (local.get $p) (i32.ctz (local.get $mask))) (i32.const 1))))
              (else (local.set $p (call $stringEnd (local.get $p) (local.get $fieldsEnd)))))
            (if (i32.eq (local.get $p) (i32.const -1)) (then (return (i32.const -1))))
            (local.set $p (i32.add (local.get $p) (i32.const 1))))
          (else
            (local.set $p (call $numberEnd (local.get $p) (local.get $fieldsEnd)))
            (if (i32.eq (local.get $p) (i32.const -1)) (then (return (i32.const -1))))))
        (br $field)))
    (if (i32.ne (local.get $p) (local.get $fieldsEnd)) (then (return (i32.const -1))))

    ;; header, the line's own bytes (at most), `,"error":` for the error key, `}` and the newline, and
    ;; what $copy may write past its end
    (if (i32.gt_u
          (i32.add (i32.add (local.get $out) (i32.load (i32.const 8)))
                   (i32.add (i32.sub (local.get $end) (local.get $start)) (i32.const 48)))
          (local.get $outLimit))
      (then (return (i32.const -2))))
    (local.set $o (call $copy (local.get $out) (i32.const 6144) (i32.load (i32.const 8))))
    (if (i32.eq (local.get $messageStart) (i32.const -1))
      (then
        (i32.store16 (local.get $o) (i32.const 0x2222))
        (local.set $o (i32.add (local.get $o) (i32.const 2))))
      (else
        (local.set $o (call $copy (local.get $o) (local.get $messageStart)
          (i32.sub (local.get $last) (local.get $messageStart))))))
    (if (i32.ne (local.get $pidFrom) (i32.const -1))
      (then (local.set $o (call $copy (local.get $o) (local.get $pidFrom)
        (i32.sub (local.get $pidTo) (local.get $pidFrom))))))
    (if (i32.ne (local.get $hostFrom) (i32.const -1))
      (then (local.set $o (call $copy (local.get $o) (local.get $hostFrom)
        (i32.sub (local.get $hostTo) (local.get $hostFrom))))))
    (if (i32.eq (local.get $errorAt) (i32.const -1))
      (then
        (local.set $o (call $copy (local.get $o) (local.get $i) (i32.sub (local.get $fieldsEnd) (local.get $i)))))
      (else
        (local.set $o (call $copy (local.get $o) (local.get $i) (i32.sub (local.get $errorAt) (local.get $i))))
        (local.set $o (call $copy (local.get $o) (i32.const 464) (i32.const 9)))
        (local.set $o (call $copy (local.get $o) (local.get $errorValue)
          (i32.sub (local.get $fieldsEnd) (local.get $errorValue))))))
    (i32.store16 (local.get $o) (i32.const 0x0a7d)) ;; }\n
    (i32.add (local.get $o) (i32.const 2)))

  ;; Index of the first newline from `$k` before `$limit`, or -1: 32 bytes at a time, then 16.
  (func $newline (param $k i32) (param $limit i32) (result i32)
    (local $mask i32)
    (block $half
      (loop $next
        (br_if $half (i32.gt_u (i32.add (local.get $k) (i32.const 32)) (local.get $limit)))
        (local.set $mask (i32.or
          (i8x16.bitmask (i8x16.eq (v128.load (local.get $k))
            (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))
          (i32.shl (i8x16.bitmask (i8x16.eq (v128.load offset=16 (local.get $k))
            (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))) (i32.const 16))))
        (if (local.get $mask) (then (return (i32.add (local.get $k) (i32.ctz (local.get $mask))))))
        (local.set $k (i32.add (local.get $k) (i32.const 32)))
        (br $next)))
    (block $tail
      (loop $next
        (br_if $tail (i32.gt_u (i32.add (local.get $k) (i32.const 16)) (local.get $limit)))
        (local.set $mask (i8x16.bitmask (i8x16.eq (v128.load (local.get $k))
          (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))))
        (if (local.get $mask) (then (return (i32.add (local.get $k) (i32.ctz (local.get $mask))))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $next)))
    (block $none
      (loop $next
        (br_if $none (i32.ge_u (local.get $k) (local.get $limit)))
        (if (i32.eq (i32.load8_u (local.get $k)) (i32.const 10)) (then (return (local.get $k))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (i32.const -1))

  ;; Shapes, one after the other, the lines of `[$start, $limit)` that end with a newline before
  ;; `$limit` (a line may end with \r\n; empty lines are passed over) into `[$out, $outLimit)`, and
  ;; stops at the first line `shape` does not write, with its answer. Returns 0 when it shaped every
  ;; line; either way the control block has where the lines not taken start (28) and the end of the
  ;; output (52).
  (func (export "shapeLines") (param $start i32) (param $limit i32) (param $out i32) (param $outLimit i32) (result i32)
    (local $nl i32) (local $lineEnd i32) (local $r i32)
    (block $stop
      (loop $line
        (local.set $nl (call $newline (local.get $start) (local.get $limit)))
        (if (i32.eq (local.get $nl) (i32.const -1)) (then (local.set $r (i32.const 0)) (br $stop)))
        (local.set $lineEnd (local.get $nl))
        (if (i32.and (i32.gt_u (local.get $lineEnd) (local.get $start))
                     (i32.eq (i32.load8_u (i32.sub (local.get $lineEnd) (i32.const 1))) (i32.const 13)))
          (then (local.set $lineEnd (i32.sub (local.get $lineEnd) (i32.const 1)))))
        (if (i32.gt_u (local.get $lineEnd) (local.get $start))
          (then
            (local.set $r (call $shape (local.get $start) (local.get $lineEnd) (local.get $out) (local.get $outLimit)))
            (br_if $stop (i32.lt_s (local.get $r) (i32.const 0)))
            (local.set $out (local.get $r))))
        (local.set $start (i32.add (local.get $nl) (i32.const 1)))
        (br $line)))
    (i32.store (i32.const 28) (local.get $start))
    (i32.store (i32.const 52) (local.get $out))
    (local.get $r))
)
