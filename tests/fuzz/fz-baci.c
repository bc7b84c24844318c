/* fz-baci - nk-fetch-parse reading CEPII BACI CSV (t,i,j,k,v,q, padded
 * names, NA weights, values in thousands; the revision from --hs-rev or
 * none). The harness is fetch-parse.h; its corpus starts from the BACI files
 * of tests/cases/nk-fetch-parse/_data/formats. */
#include "fetch-parse.h"
