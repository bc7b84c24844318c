/* fz-comtrade - nk-fetch-parse reading Comtrade files: Comtrade Plus CSV
 * (TradeData_*.csv, the pandas-saved form with its index column first or
 * last), the bulk TSV, the legacy 35- and 22-column CSV (numeric and letter
 * flows, "No data matches your query") and the API JSON. The harness is
 * fetch-parse.h; its corpus starts from data/comtrade, data/comtrade-pandas
 * and the Comtrade files of tests/cases/nk-fetch-parse. */
#include "fetch-parse.h"
