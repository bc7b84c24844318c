// DuckDB doing what nk-summarize --by partner sums: read the corrected TSV,
// GROUP BY year, counterpart, nk_flow, sum value_usd (as DECIMAL(18,3), exact
// like nk-summarize), write TSV. Usage: node summarize-duckdb.cjs IN.tsv
// OUT.tsv THREADS (needs @duckdb/node-api on NODE_PATH).
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => {
	const [inp, out, threads] = process.argv.slice(2);
	const db = await DuckDBInstance.create(':memory:', { threads: String(threads || 2) });
	const c = await db.connect();
	const q = (s) => "'" + s.replace(/'/g, "''") + "'";
	await c.run(`COPY (SELECT year, counterpart, nk_flow, sum(value_usd) AS value_usd
		FROM read_csv(${q(inp)}, header = true, delim = '\t', quote = '', escape = '',
			types = {'value_usd': 'DECIMAL(18,3)', 'year': 'INTEGER'})
		GROUP BY year, counterpart, nk_flow ORDER BY ALL) TO ${q(out)} (HEADER, DELIMITER '\t')`);
})().catch((e) => { console.error(e.message); process.exit(1); });
