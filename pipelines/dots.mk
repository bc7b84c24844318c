# pipelines/dots.mk - a second view in $(OUT)/dots/: IMF Direction of Trade
# Statistics (DOTS_INPUTS, data/dots/: 2016-2018) by the DOTS method,
# rules/dots.yaml: the 1.06 CIF/FOB factor on both sides, no crude-oil
# estimate, no inter-Korean trade. The DPRK's own DOTS rows (the IMF's
# estimates from these partner rows) are removed by nk-fetch-parse (guard
# estimate; dots/stage/fetch-parse.rejects.tsv).
#
#   nk-fetch-parse | nk-correct -r rules/dots.yaml | nk-summarize --level total
#
# Compare $(OUT)/dots/summary-year.tsv with $(OUT)/summary-year.tsv. The
# view has its own rejects.tsv and audit.tsv.

DOTS_RULES ?= rules/dots.yaml
IMF_CODES  := data/countries/imf-iso3.tsv
DV := $(OUT)/dots
DS := $(DV)/stage

OUTPUTS += $(DV)/summary-year.tsv $(DV)/summary-partner.tsv $(DV)/rejects.tsv $(DV)/audit.tsv

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
