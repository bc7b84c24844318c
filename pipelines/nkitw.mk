# pipelines/nkitw.mk - the default data set, the North Korea in the World
# method: partners' customs statistics seen from the DPRK (mirror flip),
# KOTRA's figures where they take precedence, China's unrecorded crude oil,
# no CIF/FOB adjustment (rules/corrections.yaml says each with its source),
# and inter-Korean trade from South Korea's Ministry of Unification.
#
#   nk-fetch-parse | nk-normalize-hs | nk-correct | nk-merge-interkorean
#     | nk-normalize-hs | nk-summarize
#
# Each stage is a file in $(OUT)/stage/; $(OUT)/trade.tsv is the data set,
# $(OUT)/summary-*.tsv/.md its tables.
# The tools' own tables are prerequisites too: a new data/hs/ or rule file
# reruns exactly the stages that read it.

HS_TABLES  := $(wildcard data/hs/*.tsv)
COUNTRIES  := data/countries/m49-iso3.tsv
NKITW_RULES ?= rules/corrections.yaml
MOU_TABLE ?= data/interkorean/mou.tsv

# Every file a build writes; pipelines add theirs.
OUTPUTS += $(OUT)/trade.tsv $(OUT)/rejects.tsv $(OUT)/audit.tsv $(OUT)/published.tsv

# Stage 1: the DPRK slice of every input (Comtrade Plus and legacy CSVs), with
# partner-KOR rows for nk-correct's misreport screen; the guards' removals in
# the rejects file. Run from the top so `file` in the rejects names data/....
$(S)/fetch-parse.tsv $(S)/fetch-parse.rejects.tsv &: $(PIPE_MK) $(COMTRADE_INPUTS) $(COUNTRIES) $(BIN)/nk-fetch-parse | $(S)
	$(call say,nk-fetch-parse,$(S)/fetch-parse.tsv)
	$(Q)$(BIN)/nk-fetch-parse --with-partner KOR --rejects $(S)/fetch-parse.rejects.tsv \
		-o $(S)/fetch-parse.tsv $(COMTRADE_INPUTS)

# Stage 1b, only with FETCH_PERIODS (years, comma-separated; the cron
# wrapper sets it when $$COMTRADE_KEY is set): the same slice downloaded from
# the Comtrade Plus API, all goods (TOTAL), for years the shipped files do not
# hold, so that no partner-year comes twice. It runs every time (the API may
# have revised a year; the cache answers a query it already holds), and a
# file whose bytes did not change is not replaced, so nothing after it reruns.
# FETCH_FLAGS passes more nk-fetch-parse options (--url, --cache-dir, ...).
FETCH_PERIODS ?=
FETCH_CMD     ?= TOTAL
FETCH_FLAGS   ?=
STAGE1 := $(S)/fetch-parse.tsv
STAGE1_REJECTS := $(S)/fetch-parse.rejects.tsv
ifneq ($(FETCH_PERIODS),)
STAGE1 += $(S)/fetch-api.tsv
STAGE1_REJECTS += $(S)/fetch-api.rejects.tsv
$(S)/fetch-api.tsv $(S)/fetch-api.rejects.tsv &: $(PIPE_MK) $(COUNTRIES) $(BIN)/nk-fetch-parse FORCE | $(S)
	$(call say,nk-fetch-parse --fetch,$(S)/fetch-api.tsv)
	$(Q)cd $(OUT) && $(BIN)/nk-fetch-parse --fetch --period $(FETCH_PERIODS) --cmd $(FETCH_CMD) $(FETCH_FLAGS) \
		--with-partner KOR --rejects stage/fetch-api.rejects.new -o stage/fetch-api.new
	$(Q)cd $(S) && for f in fetch-api fetch-api.rejects; do \
		if cmp -s $$f.new $$f.tsv; then rm $$f.new; else mv $$f.new $$f.tsv; fi; done
endif
.PHONY: FORCE

# Stage 1c: every partner's total trade with the DPRK from the name-only
# totals tables (TOTALS_X_INPUTS, TOTALS_M_INPUTS: the flow is only in the
# file name): their exports 2014-2022 (DPRK imports), imports 2021 (DPRK
# exports). Names are resolved through Comtrade's own lists.
NAMES := data/countries/comtrade-names.tsv
$(S)/totals-x.tsv $(S)/totals-x.rejects.tsv &: $(PIPE_MK) $(TOTALS_X_INPUTS) $(COUNTRIES) $(NAMES) $(BIN)/nk-fetch-parse | $(S)
	$(call say,nk-fetch-parse --flow X,$(S)/totals-x.tsv)
	$(Q)$(BIN)/nk-fetch-parse --flow X --rejects $(S)/totals-x.rejects.tsv \
		-o $(S)/totals-x.tsv $(TOTALS_X_INPUTS)
$(S)/totals-m.tsv $(S)/totals-m.rejects.tsv &: $(PIPE_MK) $(TOTALS_M_INPUTS) $(COUNTRIES) $(NAMES) $(BIN)/nk-fetch-parse | $(S)
	$(call say,nk-fetch-parse --flow M,$(S)/totals-m.tsv)
	$(Q)$(BIN)/nk-fetch-parse --flow M --rejects $(S)/totals-m.rejects.tsv \
		-o $(S)/totals-m.tsv $(TOTALS_M_INPUTS)
STAGE1 += $(S)/totals-x.tsv $(S)/totals-m.tsv
STAGE1_REJECTS += $(S)/totals-x.rejects.tsv $(S)/totals-m.rejects.tsv

# Stage 1d: one source per trade (pipelines/precedence.awk): where two
# inputs give the same reporter, partner, flow and year at hs TOTAL, the one
# earlier in STAGE1 wins and the other's row goes to the rejects. The shipped
# data meet once: China's 2022 exports to the DPRK, 894,039,906 in the
# Comtrade Plus file and in the 2022 totals table. The Comtrade Plus row wins:
# it is UN Comtrade's own download (codes, CIF/FOB values, HS revision, a
# dated release); the totals table is a third party's tabulation of the same
# API by country name, possibly from another release (its China 2021 imports
# differ from another release's). Summing both would count that trade twice.
$(S)/inputs.tsv $(S)/precedence.rejects.tsv &: $(PIPE_MK) $(STAGE1) pipelines/precedence.awk
	$(call say,precedence.awk,$(S)/inputs.tsv)
	$(Q)cd $(OUT) && awk -v rejects=stage/precedence.rejects.tsv.tmp -f $(CURDIR)/pipelines/precedence.awk \
		$(STAGE1:$(S)/%=stage/%) > stage/inputs.tsv.tmp && \
		mv stage/precedence.rejects.tsv.tmp stage/precedence.rejects.tsv && mv stage/inputs.tsv.tmp stage/inputs.tsv
STAGE1_REJECTS += $(S)/precedence.rejects.tsv

# Stage 2: HS codes restored and checked per revision; chapter, section (with
# names), BEC Rev.4 production stage. Nothing dropped; unknown codes counted.
$(S)/normalize-hs.tsv: $(PIPE_MK) $(S)/inputs.tsv $(HS_TABLES) $(BIN)/nk-normalize-hs
	$(call say,nk-normalize-hs,$@)
	$(Q)cd $(OUT) && $(BIN)/nk-normalize-hs --names -o stage/normalize-hs.tsv stage/inputs.tsv

# Stage 3: the DPRK view and the sourced corrections; every change in the
# audit, every dropped row (KOR screening rows, re-exports, exclusions) in
# the rejects.
$(S)/correct.tsv $(S)/correct.audit.tsv $(S)/correct.rejects.tsv &: $(PIPE_MK) $(S)/normalize-hs.tsv $(NKITW_RULES) $(BIN)/nk-correct
	$(call say,nk-correct,$(S)/correct.tsv)
	$(Q)cd $(OUT) && $(BIN)/nk-correct $(foreach r,$(NKITW_RULES),--rules $(abspath $(r))) \
		--audit stage/correct.audit.tsv --rejects stage/correct.rejects.tsv \
		-o stage/correct.tsv stage/normalize-hs.tsv

# What each rule did (rows, dollars, status), for the report.
$(S)/correct.explain.tsv: $(PIPE_MK) $(S)/normalize-hs.tsv $(NKITW_RULES) $(BIN)/nk-correct
	$(call say,nk-correct --explain,$@)
	$(Q)cd $(OUT) && $(BIN)/nk-correct $(foreach r,$(NKITW_RULES),--rules $(abspath $(r))) --explain \
		stage/normalize-hs.tsv > stage/correct.explain.tsv.tmp && mv stage/correct.explain.tsv.tmp stage/correct.explain.tsv

# Stage 4: inter-Korean trade from the Ministry of Unification (source mou
# rows, $(MOU_TABLE)), Kaesong and non-commercial trade included as North
# Korea in the World does. The legacy Comtrade files carry South Korea's own
# reports of trade with the DPRK (counterpart KOR): MOU's figures replace
# them (--replace-kor; the dropped rows in the rejects).
MERGE_FLAGS ?= --kaesong=include --noncommercial=include
$(S)/merge-interkorean.tsv $(S)/merge-interkorean.rejects.tsv &: $(PIPE_MK) $(S)/correct.tsv $(MOU_TABLE) $(BIN)/nk-merge-interkorean
	$(call say,nk-merge-interkorean,$(S)/merge-interkorean.tsv)
	$(Q)cd $(OUT) && $(BIN)/nk-merge-interkorean -q --table $(abspath $(MOU_TABLE)) $(MERGE_FLAGS) --replace-kor \
		--rejects stage/merge-interkorean.rejects.tsv -o stage/merge-interkorean.tsv stage/correct.tsv

# Stage 5: nk-normalize-hs again, so that the rows rules added after stage 2
# (the crude-oil estimate, source rule) get their chapter, section and stage
# too (re-running replaces its columns in place; they carry no hs_rev, so
# --rev-by-year checks their code against the revision of their year). Its
# output is the data set.
$(OUT)/trade.tsv: $(PIPE_MK) $(S)/merge-interkorean.tsv $(HS_TABLES) $(BIN)/nk-normalize-hs
	$(call say,nk-normalize-hs,$@)
	$(Q)cd $(OUT) && $(BIN)/nk-normalize-hs -q --names --rev-by-year -o trade.tsv stage/merge-interkorean.tsv

# One level of detail per source, counterpart, year and flow (pipelines/
# level.awk): the shipped files hold chapters 27 and 44 and, for the same
# counterpart-years, subheading 270900 inside 27, and for 2022 TOTAL rows
# only; the coarsest level of each group is summed, the finer rows go to
# stage/level.rejects.tsv. (nk-summarize's --level picks one level for the
# whole stream, which would drop 2022's TOTAL rows or double-count 270900.)
$(S)/level.tsv $(S)/level.rejects.tsv &: $(PIPE_MK) $(OUT)/trade.tsv pipelines/level.awk
	$(call say,level.awk,$(S)/level.tsv)
	$(Q)cd $(OUT) && awk -v rejects=stage/level.rejects.tsv.tmp -f $(CURDIR)/pipelines/level.awk \
		trade.tsv trade.tsv > stage/level.tsv.tmp && \
		mv stage/level.rejects.tsv.tmp stage/level.rejects.tsv && mv stage/level.tsv.tmp stage/level.tsv

# The tables: one nk-summarize run per report, TSV and markdown.
NKITW_REPORTS := year partner
OUTPUTS += $(foreach r,$(NKITW_REPORTS),$(OUT)/summary-$(r).tsv $(OUT)/summary-$(r).md)
$(OUT)/summary-%.tsv: $(PIPE_MK) $(S)/level.tsv $(BIN)/nk-summarize
	$(call say,nk-summarize --by $*,$@)
	$(Q)$(BIN)/nk-summarize -q --by $* -o $@ $(S)/level.tsv
$(OUT)/summary-%.md: $(PIPE_MK) $(S)/level.tsv $(BIN)/nk-summarize
	$(call say,nk-summarize --by $*,$@)
	$(Q)$(BIN)/nk-summarize -q --by $* --format md -o $@ $(S)/level.tsv

# Every dropped row of every stage in one table (the columns all stages
# share; the full rows are in stage/*.rejects.tsv), and every change.
REJECT_COLS := source year period reporter partner flow hs_rev hs value_usd reason rule file line
NKITW_REJECTS := $(STAGE1_REJECTS) $(S)/correct.rejects.tsv $(S)/merge-interkorean.rejects.tsv \
	$(S)/level.rejects.tsv
$(OUT)/rejects.tsv: $(PIPE_MK) $(NKITW_REJECTS) pipelines/union.awk
	$(call say,rejects,$@)
	$(Q)awk -v cols='$(REJECT_COLS)' -f pipelines/union.awk $(NKITW_REJECTS) > $@.tmp && mv $@.tmp $@

AUDIT_COLS := rule action file line year counterpart nk_flow hs value_before value_after note
NKITW_AUDITS := $(S)/correct.audit.tsv
$(OUT)/audit.tsv: $(PIPE_MK) $(NKITW_AUDITS) pipelines/union.awk
	$(call say,audit,$@)
	$(Q)awk -v cols='$(AUDIT_COLS)' -f pipelines/union.awk $(NKITW_AUDITS) > $@.tmp && mv $@.tmp $@
