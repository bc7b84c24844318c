# pipelines/dots.mk - a second view in $(OUT)/dots/: IMF Direction of Trade
# Statistics (DOTS_INPUTS, data/dots/: 2016-2018) by the DOTS method,
# rules/dots.yaml: the 1.06 CIF/FOB factor on both sides, no crude-oil
# estimate, no inter-Korean trade. The DPRK's own DOTS rows (the IMF's
# estimates from these partner rows) are removed by nk-fetch-parse (guard
# estimate; dots/stage/fetch-parse.rejects.tsv).
#
#   nk-fetch-parse | nk-correct -r rules/dots.yaml | nk-summarize --level total
#
# Compare $(OUT)/dots/summary-year.tsv with $(OUT)/summary-year.tsv, and with
# DOTS's own figures, $(OUT)/dots/published.tsv: the DPRK's rows against World
# in the same file (its exports FOB, its imports CIF, as DOTS publishes them;
# nk-fetch-parse sets them aside with guard world). The view has its own
# rejects.tsv and audit.tsv.

DOTS_RULES ?= rules/dots.yaml
IMF_CODES  := data/countries/imf-iso3.tsv
DV := $(OUT)/dots
DS := $(DV)/stage

OUTPUTS += $(DV)/summary-year.tsv $(DV)/summary-partner.tsv $(DV)/rejects.tsv $(DV)/audit.tsv $(DV)/published.tsv

$(DS):
	$(Q)mkdir -p $@

$(DS)/fetch-parse.tsv $(DS)/fetch-parse.rejects.tsv &: $(PIPE_MK) $(DOTS_INPUTS) $(COUNTRIES) $(IMF_CODES) $(BIN)/nk-fetch-parse | $(DS)
	$(call say,nk-fetch-parse,$(DS)/fetch-parse.tsv)
	$(Q)$(BIN)/nk-fetch-parse --rejects $(DS)/fetch-parse.rejects.tsv \
		-o $(DS)/fetch-parse.tsv $(DOTS_INPUTS)

$(DS)/correct.tsv $(DS)/correct.audit.tsv $(DS)/correct.rejects.tsv &: $(PIPE_MK) $(DS)/fetch-parse.tsv $(DOTS_RULES) $(BIN)/nk-correct
	$(call say,nk-correct,$(DS)/correct.tsv)
	$(Q)cd $(DV) && $(BIN)/nk-correct $(foreach r,$(DOTS_RULES),--rules $(abspath $(r))) \
		--audit stage/correct.audit.tsv --rejects stage/correct.rejects.tsv \
		-o stage/correct.tsv stage/fetch-parse.tsv

# DOTS gives totals only (hs TOTAL): --level total.
$(DV)/summary-%.tsv: $(PIPE_MK) $(DS)/correct.tsv $(BIN)/nk-summarize
	$(call say,nk-summarize --by $*,$@)
	$(Q)$(BIN)/nk-summarize -q --level total --by $* -o $@ $(DS)/correct.tsv

DOTS_REJECTS := $(DS)/fetch-parse.rejects.tsv $(DS)/correct.rejects.tsv
$(DV)/rejects.tsv: $(PIPE_MK) $(DOTS_REJECTS) pipelines/union.awk
	$(call say,rejects,$@)
	$(Q)awk -v cols='$(REJECT_COLS)' -f pipelines/union.awk $(DOTS_REJECTS) > $@.tmp && mv $@.tmp $@
$(DV)/audit.tsv: $(PIPE_MK) $(DS)/correct.audit.tsv pipelines/union.awk
	$(call say,audit,$@)
	$(Q)awk -v cols='$(AUDIT_COLS)' -f pipelines/union.awk $(DS)/correct.audit.tsv > $@.tmp && mv $@.tmp $@

# DOTS's published DPRK totals: year, exports, imports (the values as given).
$(DV)/published.tsv: $(PIPE_MK) $(DS)/fetch-parse.rejects.tsv
	$(call say,DOTS published,$@)
	$(Q)awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$$i] = i; print "year\texports\timports"; next } \
		$$c["rule"] == "world" && $$c["reporter"] == "PRK" && $$c["partner"] == "WLD" { \
			v[$$c["year"], $$c["flow"]] = $$c["value_usd"]; y[$$c["year"]] = 1 } \
		END { n = 0; for (k in y) ys[++n] = k; \
			for (i = 2; i <= n; i++) { t = ys[i]; for (j = i - 1; j >= 1 && ys[j] > t; j--) ys[j + 1] = ys[j]; ys[j + 1] = t } \
			for (i = 1; i <= n; i++) print ys[i] "\t" v[ys[i], "X"] "\t" v[ys[i], "M"] }' \
		$(DS)/fetch-parse.rejects.tsv > $@.tmp && mv $@.tmp $@
