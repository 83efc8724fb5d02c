// Polars peer for bench/run.sh (T1 only): the T1 job as one lazy query per input file, writing one
// CSV per input file at the same relative path.
//   node bench/polars/run.mjs T1 INPUT_DIR OUTPUT_DIR [THREADS]
// Configured as an expert would:
// - The schema is given (all 12 columns Utf8, so values are written back as they were read; no
//   inference) with the dialect (header, ',', '"', '\n'); amount is cast to Decimal(18, 2) in the
//   filter only.
// - scanCSV -> filter -> select -> sinkCSV (the streaming engine; rows keep their file order,
//   maintainOrder is the default). Measured against collect() + writeCSV (3-8% slower, 1.5 x the
//   peak RSS on W3) and readCSV + writeCSV (1.4-2.4 x slower, 2.3 GB peak RSS on W1).
// - POLARS_MAX_THREADS = THREADS (set before the native module loads), and THREADS queries in
//   flight, taking files from one queue: one query at a time left a core idle on W1's small files
//   (3.66 s against 2.99 s, medians of 5 interleaved runs). W3's one file is one query, read by
//   Polars' own parallel CSV reader on THREADS threads.
// Why T1 only: T2 replaces email by the SHA-256 hex of lower(email), and Polars has no SHA-256
// expression (its hash() is a non-cryptographic 64-bit hash; str.encode knows hex and base64);
// only a per-row JavaScript callback could do it, which would measure Node, not Polars.
// Prints "polars N files in S s" like bench/duckdb/run.mjs.
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, dirname } from 'node:path';

const [transform, input, output, threadsArg] = process.argv.slice(2);
if (!transform || !input || !output) {
  console.error('usage: node run.mjs T1 INPUT_DIR OUTPUT_DIR [THREADS]');
  process.exit(2);
}
if (transform !== 'T1') {
  console.error(`polars: ${transform} is not supported (T1 only: no SHA-256 expression in Polars)`);
  process.exit(2);
}
const threads = Number(threadsArg || availableParallelism());
// Polars sizes its thread pool once, when the native module loads: set it first, then import.
process.env.POLARS_MAX_THREADS = String(threads);
const { default: pl } = await import('nodejs-polars');

function walk(dir) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) files.push(...walk(p));
    else if (name.endsWith('.csv')) files.push(p);
  }
  return files;
}

// The orders schema of `sluice generate` (OrdersGenerator.HEADER), in file order.
const COLUMNS = [
  'order_id', 'customer_id', 'customer_name', 'email', 'country', 'product', 'quantity',
  'unit_price', 'amount', 'order_date', 'status', 'notes',
];
const csvIn = {
  hasHeader: true, sep: ',', quoteChar: '"', eolChar: '\n',
  schema: Object.fromEntries(COLUMNS.map((c) => [c, pl.Utf8])),
};
const csvOut = {
  includeHeader: true, separator: ',', quoteChar: '"', lineTerminator: '\n', quoteStyle: 'necessary',
};
const job = (lf) =>
  lf
    .filter(pl.col('status').eq(pl.lit('SHIPPED'))
      .and(pl.col('amount').cast(pl.Decimal(18, 2)).gt(pl.lit(100))))
    .select(
      pl.col('order_id'),
      pl.col('customer_name'),
      pl.col('email').str.toLowerCase().alias('email'),
      pl.col('country').str.toUpperCase().alias('country'),
      pl.col('amount'),
    );

const t0 = process.hrtime.bigint();
const files = walk(input);
let next = 0;
async function worker() {
  while (next < files.length) {
    const f = files[next++];
    const out = join(output, relative(input, f));
    mkdirSync(dirname(out), { recursive: true });
    await job(pl.scanCSV(f, csvIn)).sinkCSV(out, csvOut).collect();
  }
}
await Promise.all(Array.from({ length: Math.min(threads, files.length) }, worker));
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`polars ${files.length} files in ${s.toFixed(3)} s (${threads} threads)`);
