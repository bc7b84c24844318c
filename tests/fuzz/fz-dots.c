/* fz-dots - nk-fetch-parse reading IMF DOTS bulk CSV (a column per year,
 * quarters and months skipped, a Value row held until the next line says
 * whether its Status row follows, indicators to flows, IMF codes). The
 * harness is fetch-parse.h; its corpus starts from data/dots and the DOTS
 * files of tests/cases/nk-fetch-parse. */
#include "fetch-parse.h"
