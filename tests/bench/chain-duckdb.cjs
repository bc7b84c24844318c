// DuckDB doing the default chain's job in SQL: read the Comtrade Plus CSV,
// keep the DPRK slice with nk-fetch-parse's guards (partner2 World, mode of
// transport all, customs C00, M/X flows of HS data), flip to the DPRK's view
// (a partner's import from PRK is a DPRK export), leave out South Korea's
// own reports (the chain replaces them with MOU's figures), and sum the value
// by year, counterpart (ISO3, through nktrade's code table; a code it does
// not know is an empty counterpart, as in nk-fetch-parse) and flow.
// Usage: node chain-duckdb.cjs IN.csv M49-ISO3.tsv OUT.tsv THREADS
// (needs @duckdb/node-api on NODE_PATH). OUT: year flow counterpart value_usd.
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => {
	const [inp, codes, out, threads] = process.argv.slice(2);
	const db = await DuckDBInstance.create(':memory:', { threads: String(threads || 2) });
	const c = await db.connect();
	const q = (s) => "'" + s.replace(/'/g, "''") + "'";
	await c.run(`COPY (
		WITH t AS (
			SELECT refYear AS year, reporterCode AS rep, partnerCode AS par, flowCode AS flow,
				CAST(primaryValue AS DECIMAL(18,3)) AS v
			FROM read_csv(${q(inp)}, header = true, encoding = 'latin-1', all_varchar = false)
			WHERE (partnerCode = 408 OR reporterCode = 408)
				AND partner2Code = 0 AND motCode = 0 AND customsCode = 'C00'
				AND flowCode IN ('M', 'X') AND classificationCode IN ('H0','H1','H2','H3','H4','H5','H6')),
		k AS (SELECT m49, iso3 FROM read_csv(${q(codes)}, header = true, delim = '\t', all_varchar = true))
		SELECT t.year,
			CASE WHEN (t.par = 408) = (t.flow = 'M') THEN 'exports' ELSE 'imports' END AS flow,
			coalesce(k.iso3, '') AS counterpart, SUM(t.v) AS value_usd
		FROM t LEFT JOIN k ON k.m49 = CAST(CASE WHEN t.par = 408 THEN t.rep ELSE t.par END AS VARCHAR)
		WHERE coalesce(k.iso3, '') <> 'KOR'
		GROUP BY ALL ORDER BY ALL
	) TO ${q(out)} (HEADER, DELIMITER '\t')`);
})().catch((e) => { console.error(e.message); process.exit(1); });
