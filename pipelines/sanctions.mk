# pipelines/sanctions.mk - trade in the goods the UN Security Council's
# resolutions ban or cap (rules/sanctions.yaml: each entry's resolution,
# paragraph, HS codes and where they come from), per entry and year, before
# and after its in-force date, and cap use; from the nkitw data set.
#
#   ... nkitw ... | nk-summarize --by sanction --sanctions rules/sanctions.yaml
SANCTIONS_RULES ?= rules/sanctions.yaml
SANCTIONS := $(OUT)/summary-sanction.tsv $(OUT)/summary-sanction.md
OUTPUTS += $(SANCTIONS)
.PHONY: sanctions
sanctions: $(SANCTIONS)
$(OUT)/summary-sanction.tsv: $(PIPE_MK) $(S)/level.tsv $(SANCTIONS_RULES) $(BIN)/nk-summarize
	$(call say,nk-summarize --by sanction,$@)
	$(Q)$(BIN)/nk-summarize -q --by sanction --sanctions $(SANCTIONS_RULES) -o $@ $(S)/level.tsv
$(OUT)/summary-sanction.md: $(PIPE_MK) $(S)/level.tsv $(SANCTIONS_RULES) $(BIN)/nk-summarize
	$(call say,nk-summarize --by sanction,$@)
	$(Q)$(BIN)/nk-summarize -q --by sanction --sanctions $(SANCTIONS_RULES) --format md -o $@ $(S)/level.tsv
