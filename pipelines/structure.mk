# pipelines/structure.mk - the structure of DPRK trade per year (the IFRI
# view): HS sections with their chapters (the drill-down), and production
# stages (BEC Rev.4 end use), from the same data set as nkitw.
#
#   ... nkitw ... | nk-summarize --by section / --by chapter / --by stage
STRUCTURE_REPORTS := section chapter stage
STRUCTURE := $(foreach r,$(STRUCTURE_REPORTS),$(OUT)/summary-$(r).tsv $(OUT)/summary-$(r).md)
OUTPUTS += $(STRUCTURE)
.PHONY: structure
structure: $(STRUCTURE)
