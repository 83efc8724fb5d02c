// DuckDB peer for bench/run.sh: the T1/T2 job with one COPY per input file (W1, W2; for W3's one
// file that COPY uses DuckDB's parallel CSV reader), writing one CSV per input file.
//   node bench/duckdb/run.mjs T1|T2 INPUT_DIR OUTPUT_DIR [THREADS]
// Fields are read as text (all_varchar) so that amounts are written back as they were read; the
// filter compares amount as a decimal. Prints "duckdb N files in S s" like Baselines.java.
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
const email = transform === 'T2' ? 'sha256(lower(email))' : 'lower(email)';

const t0 = process.hrtime.bigint();
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await instance.connect();
const files = walk(input);
for (const f of files) {
  const out = join(output, relative(input, f));
  mkdirSync(dirname(out), { recursive: true });
  await con.run(
    `COPY (SELECT order_id, customer_name, ${email} AS email, upper(country) AS country, amount
             FROM read_csv(${quote(f)}, header = true, all_varchar = true)
            WHERE status = 'SHIPPED' AND CAST(amount AS DECIMAL(18, 2)) > 100)
       TO ${quote(out)} (FORMAT csv, HEADER true)`);
}
con.closeSync?.();
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`duckdb ${files.length} files in ${s.toFixed(3)} s (${threads} threads)`);
