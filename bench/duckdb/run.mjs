// DuckDB peer for bench/run.sh: the T1/T2 job with one COPY per input file, writing one CSV per
// input file at the same relative path.
//   node bench/duckdb/run.mjs T1|T2 INPUT_DIR OUTPUT_DIR [THREADS]
// Configured as an expert would:
// - The dialect and the schema are given (auto_detect = false, delim, quote, escape, new_line,
//   columns = {...}), so DuckDB sniffs nothing per file.
// - amount is DECIMAL(18, 2), so the filter compares decimals with no cast. That is byte-identical
//   to the other peers only because every amount `sluice generate` writes has exactly two decimals
//   (checked over all W1, W2 and W3 rows): DECIMAL writes 199.00 back as 199.00, but would write
//   100.5 as 100.50. The other columns stay VARCHAR and are written back as read; typing them too
//   (order_id BIGINT, quantity INTEGER, unit_price DECIMAL, order_date DATE) gave identical output
//   and the same time (W1/T2 and W3/T2, 5 interleaved runs: within 1% of all-VARCHAR), as did the
//   all-VARCHAR schema with CAST(amount AS DECIMAL(18, 2)) in the filter.
// - THREADS connections take files from one queue, each running its COPY: one small file is read
//   by about one thread, so one COPY at a time left a core idle on W1 (W1/T2: 4.28 s against 2.55 s,
//   medians of 5 interleaved runs, the same 4.8 s of CPU). W3's one file is one COPY, which uses DuckDB's parallel CSV reader
//   on THREADS threads. Rows keep their file order (preserve_insertion_order, the default).
// Output checked byte-identical to sluice's on W1, W2 and W3, T1 and T2. Beyond the generated data
// (a hand-made file of edge cases): DuckDB quotes a field that starts with '#', upper() and lower()
// use simple Unicode case mapping (upper('straße') = 'STRAẞE', where Java and Polars give 'STRASSE'),
// and with new_line = '\n' a CRLF file reads as 0 rows, silently; fields with commas, quotes, CR
// and LF are quoted as sluice quotes them.
// Prints "duckdb N files in S s" like Baselines.java.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, dirname } from 'node:path';

const [transform, input, output, threadsArg] = process.argv.slice(2);
if (!transform || !input || !output) {
  console.error('usage: node run.mjs T1|T2 INPUT_DIR OUTPUT_DIR [THREADS]');
  process.exit(2);
}
const threads = Number(threadsArg || availableParallelism());

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

const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
// The orders schema of `sluice generate` (OrdersGenerator.HEADER), in file order.
const COLUMNS = [
  'order_id', 'customer_id', 'customer_name', 'email', 'country', 'product', 'quantity',
  'unit_price', 'amount', 'order_date', 'status', 'notes',
];
const TYPES = { amount: 'DECIMAL(18, 2)' };
const schema =
  '{' + COLUMNS.map((c) => `${quote(c)}: '${TYPES[c] ?? 'VARCHAR'}'`).join(', ') + '}';
const csvOptions =
  `header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', ` +
  `new_line = '\\n', columns = ${schema}`;
const email = transform === 'T2' ? 'sha256(lower(email))' : 'lower(email)';

const t0 = process.hrtime.bigint();
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await instance.connect();
const files = walk(input);
let next = 0;
async function worker(c) {
  while (next < files.length) {
    const f = files[next++];
    const out = join(output, relative(input, f));
    mkdirSync(dirname(out), { recursive: true });
    await c.run(
      `COPY (SELECT order_id, customer_name, ${email} AS email, upper(country) AS country, amount
               FROM read_csv(${quote(f)}, ${csvOptions})
              WHERE status = 'SHIPPED' AND amount > 100)
         TO ${quote(out)} (FORMAT csv, HEADER true)`);
  }
}
const cons = [con];
for (let i = 1; i < Math.min(threads, files.length); i++) cons.push(await instance.connect());
await Promise.all(cons.map(worker));
for (const c of cons.slice(1)) c.closeSync?.();
con.closeSync?.();
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`duckdb ${files.length} files in ${s.toFixed(3)} s (${threads} threads)`);
