# pipelines/sanctions.mk - trade in the goods the UN Security Council's
# resolutions ban or cap (rules/sanctions.yaml: each entry's resolution,
# paragraph, HS codes and where they come from), per entry and year, before
# and after its in-force date, and cap use; from the nkitw data set.
#
#   ... nkitw ... | nk-summarize --by sanction --sanctions rules/sanctions.yaml
#
# The entries overlap (the same coal in 2270 and 2371), so their sums do not
# add up: summary-sanction-group.tsv tags the stream once more against the
# entries folded into one per direction of trade (pipelines/sanction-groups.py,
# stage/sanction-groups.yaml), for the chart and the report.
SANCTIONS_RULES ?= rules/sanctions.yaml
SANCTIONS := $(OUT)/summary-sanction.tsv $(OUT)/summary-sanction.md $(OUT)/summary-sanction-group.tsv
OUTPUTS += $(SANCTIONS)
.PHONY: sanctions
sanctions: $(SANCTIONS)
$(OUT)/summary-sanction.tsv: $(PIPE_MK) $(S)/level.tsv $(SANCTIONS_RULES) $(BIN)/nk-summarize
	$(call say,nk-summarize --by sanction,$@)
	$(Q)$(BIN)/nk-summarize -q --by sanction --sanctions $(SANCTIONS_RULES) -o $@ $(S)/level.tsv
$(OUT)/summary-sanction.md: $(PIPE_MK) $(S)/level.tsv $(SANCTIONS_RULES) $(BIN)/nk-summarize
	$(call say,nk-summarize --by sanction,$@)
	$(Q)$(BIN)/nk-summarize -q --by sanction --sanctions $(SANCTIONS_RULES) --format md -o $@ $(S)/level.tsv
$(S)/sanction-groups.yaml: $(PIPE_MK) $(SANCTIONS_RULES) pipelines/sanction-groups.py | $(S)
	$(call say,sanction-groups.py,$@)
	$(Q)python3 pipelines/sanction-groups.py $(SANCTIONS_RULES) > $@.tmp && mv $@.tmp $@
$(OUT)/summary-sanction-group.tsv: $(PIPE_MK) $(S)/level.tsv $(S)/sanction-groups.yaml $(BIN)/nk-summarize
	$(call say,nk-summarize --by sanction,$@)
	$(Q)$(BIN)/nk-summarize -q --by sanction --sanctions $(S)/sanction-groups.yaml -o $@ $(S)/level.tsv
