/* fz-totals - nk-fetch-parse reading name-only totals tables
 * (date,value,reporter,partner: the names through Comtrade's lists, the date
 * YYYY-01-01, the flow from --flow). The harness is fetch-parse.h; its corpus
 * starts from data/comtrade-totals and the totals files of tests/cases. */
#include "fetch-parse.h"
