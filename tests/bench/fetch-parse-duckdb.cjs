// DuckDB doing what nk-fetch-parse --partner 408 does: read the Comtrade Plus
// CSV, keep partnerCode 408, write TSV. Usage: node fetch-parse-duckdb.cjs
// IN.csv OUT.tsv THREADS (needs @duckdb/node-api on NODE_PATH).
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => {
	const [inp, out, threads] = process.argv.slice(2);
	const db = await DuckDBInstance.create(':memory:', { threads: String(threads || 2) });
	const c = await db.connect();
	const q = (s) => "'" + s.replace(/'/g, "''") + "'";
	// the file is Latin-1 like the real download: DuckDB needs the encoding
	await c.run(`COPY (SELECT * FROM read_csv(${q(inp)}, header = true, encoding = 'latin-1')
		WHERE partnerCode = 408) TO ${q(out)} (HEADER, DELIMITER '\t')`);
})().catch((e) => { console.error(e.message); process.exit(1); });
