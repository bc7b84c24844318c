# pipelines/scale.mk - the nkitw build split into partitions, for builds
# too large for one process (all reporters, HS6, 30 years): the DPRK slice
# is split by year into PARTS partitions (year modulo PARTS), each runs the
# chain after nk-fetch-parse to exact nk-summarize partials
# (pipelines/scale/part.sh), inter-Korean trade is one more partition, and
# `nk-summarize --merge` adds the partials up into the same tables a single
# run makes, byte for byte (`make -f pipelines/scale.mk check` compares them
# with pipelines/build.mk's). make -j runs the partitions side by side;
# pipelines/SCALE.md shows the same with GNU parallel across machines and
# with Hadoop Streaming or Spark.
#
#   make -j2 -f pipelines/scale.mk SO=out-scale PARTS=4
OUT ?= out
SO ?= $(OUT)/scale
B ?= build
PARTS ?= 4
V ?=
Q = $(if $(V),,@)
SHELL := /bin/sh
export LC_ALL := C
export NK_DATADIR := $(CURDIR)
export NK_BIN := $(abspath $(B)/bin)
include pipelines/inputs.mk
NKITW_RULES ?= rules/corrections.yaml
MOU_TABLE ?= data/interkorean/mou.tsv
export NKITW_RULES MOU_TABLE
REPORTS := year partner section chapter stage
IDS := $(shell seq 0 $$(($(PARTS) - 1))) mou
SCALE_MK := pipelines/scale.mk pipelines/scale/part.sh pipelines/level.awk pipelines/precedence.awk pipelines/inputs.mk

.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:
.PHONY: all check
all: $(REPORTS:%=$(SO)/summary-%.tsv)

$(SO):
	$(Q)mkdir -p $@

# Stage 1 (every input file read once, one source per trade: the single
# build's stage/inputs.tsv, made by pipelines/build.mk so both builds start
# from the same slice), then the split by year.
$(SO)/slice.tsv: $(SCALE_MK) $(COMTRADE_INPUTS) $(TOTALS_X_INPUTS) $(TOTALS_M_INPUTS) $(NK_BIN)/nk-fetch-parse | $(SO)
	$(Q)$(MAKE) --no-print-directory -f pipelines/build.mk OUT=$(OUT) B=$(B) $(OUT)/stage/inputs.tsv >/dev/null
	$(Q)cp $(OUT)/stage/inputs.tsv $@.tmp && mv $@.tmp $@
$(IDS:%=$(SO)/part-%.tsv) &: $(SO)/slice.tsv
	$(Q)awk -F'\t' -v n=$(PARTS) -v pre=$(SO)/part- 'NR == 1 { for (i = 0; i < n; i++) print > (pre i ".tsv"); \
		for (i = 1; i <= NF; i++) if ($$i == "year") y = i; next } { print > (pre ($$y % n) ".tsv") }' $<
	$(Q)echo mou > $(SO)/part-mou.tsv

# One partition: the chain to one partial per report.
$(SO)/part-%.done: $(SO)/part-%.tsv $(SCALE_MK) $(NKITW_RULES) $(MOU_TABLE)
	$(Q)sh pipelines/scale/part.sh $(if $(filter mou,$*),mou,$(abspath $<)) $(abspath $(SO))/part-$* $(REPORTS)
	$(Q)touch $@

$(SO)/summary-%.tsv: $(IDS:%=$(SO)/part-%.done)
	$(Q)$(NK_BIN)/nk-summarize -q --merge -o $@ $(IDS:%=$(SO)/part-%.$*.partial)

# The partitioned tables equal the single build's, byte for byte.
check: all
	$(Q)$(MAKE) --no-print-directory -f pipelines/build.mk OUT=$(OUT) B=$(B) \
		$(REPORTS:%=$(OUT)/summary-%.tsv) >/dev/null 2>&1 || { echo "scale: the single build failed" >&2; exit 1; }
	$(Q)for r in $(REPORTS); do cmp $(SO)/summary-$$r.tsv $(OUT)/summary-$$r.tsv || exit 1; done
	@echo "scale: $(PARTS) partitions + mou, merged: $(words $(REPORTS)) tables equal the single build's"
