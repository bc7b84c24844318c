/* explain.c - what each rule did in a run: --explain's table, and the
 * warning (--strict: error) for a rule that matched nothing. */
#include "correct.h"

#include <stdio.h>
#include <string.h>

/* A rule whose years are all outside the input's years is not applicable,
 * not wrong, and says nothing. Returns 1 when the rule matched no row and
 * should have. */
int rule_status(const rule *r, const nk_years *seen, const char **what)
{
	if (r->act == A_CIF_NONE) {
		*what = "declares no CIF/FOB adjustment";
		return 0;
	}
	if (r->rows) {
		*what = "fired";
		return 0;
	}
	if (r->m.has_years && !nk_years_meet(&r->m.years, seen)) {
		*what = "not applicable: its years are not in the input";
		return 0;
	}
	if (r->act == A_ADD && r->if_missing && !nk_years_empty(&r->present)) {
		*what = "not needed: the flow is reported";
		return 0;
	}
	*what = "matches no row";
	return 1;
}

void rules_check_unmatched(const ruleset *rs, const nk_years *seen, int strict)
{
	int bad = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const rule *r = &rs->r[i];
		const char *what;
		if (rule_status(r, seen, &what)) {
			nk_ywarn(r->node, "%s: rule '%s' matches no row",
				 strict ? "error" : "warning", r->id);
			bad = 1;
		}
	}
	if (bad && strict)
		nk_exit_now(1);
}

void explain(const ruleset *rs, const nk_years *seen, const char *output)
{
	nk_out *o = nk_out_open(output);
	nk_out_cstr(o, "order\trule\taction\trows\tvalue_before_usd\tvalue_after_usd\t"
		       "change_usd\tstatus\tfile\n");
	for (size_t i = 0; i < rs->n; i++) {
		const rule *r = &rs->r[i];
		const char *what;
		rule_status(r, seen, &what);
		if (r->sum_range)
			nk_die(1, "--explain: rule '%s': the values it touched sum beyond "
				  "+-9.2e15, which no contract number holds",
			       r->id);
		nk_dec after = r->act == A_EXCLUDE ? 0 : r->after_v;
		nk_out_int(o, (int64_t)i + 1);
		nk_out_byte(o, '\t');
		nk_out_cstr(o, r->id);
		nk_out_byte(o, '\t');
		nk_out_cstr(o, act_name[r->act]);
		nk_out_byte(o, '\t');
		nk_out_int(o, (int64_t)r->rows);
		nk_out_byte(o, '\t');
		nk_out_dec(o, r->before);
		nk_out_byte(o, '\t');
		nk_out_dec(o, after);
		nk_out_byte(o, '\t');
		nk_out_dec(o, after - r->before);
		nk_out_byte(o, '\t');
		nk_out_cstr(o, what);
		nk_out_byte(o, '\t');
		char loc[64];
		snprintf(loc, sizeof loc, ":%ld:%ld", r->node->line, r->node->col);
		nk_out_escaped(o, r->node->file, strlen(r->node->file));
		nk_out_cstr(o, loc);
		nk_out_byte(o, '\n');
	}
	nk_out_close(o);
}
