# pipelines/report.mk - the charts (gnuplot SVG) and the report
# (out/report.html: one static page, no network) over the tables.
CHARTS := trade-by-year china-share balance kotra-vs-nktrade sections-exports sections-imports sanctions
# sanctions-marks.gp: the in-force dates of $(SANCTIONS_RULES) as gnuplot marks
CHART_DATA := $(CHARTS:%=$(OUT)/charts/%.dat) $(OUT)/charts/sanctions-marks.gp
CHART_SVG := $(CHARTS:%=$(OUT)/charts/%.svg)
CHART_INPUTS := $(OUT)/summary-year.tsv $(OUT)/summary-partner.tsv $(OUT)/summary-section.tsv $(OUT)/published.tsv \
	$(OUT)/summary-sanction-group.tsv $(SANCTIONS_RULES)
OUTPUTS += $(CHART_SVG)
.PHONY: charts
charts: $(CHART_SVG)

$(OUT)/charts:
	$(Q)mkdir -p $@

# The data behind every chart, from the tables (one run: they share inputs).
$(CHART_DATA) &: $(PIPE_MK) $(CHART_INPUTS) pipelines/charts.py | $(OUT)/charts
	$(call say,charts.py,$(OUT)/charts/*.dat)
	$(Q)python3 pipelines/charts.py --sanctions $(SANCTIONS_RULES) $(OUT) $(CHARTS)
$(OUT)/charts/sanctions.svg: $(OUT)/charts/sanctions-marks.gp

$(OUT)/charts/%.svg: $(PIPE_MK) $(OUT)/charts/%.dat pipelines/charts/%.gp pipelines/charts/style.gp
	$(call say,gnuplot,$@)
	$(Q)gnuplot -e "dat='$(OUT)/charts/$*.dat'; svg='$@.tmp'" pipelines/charts/$*.gp && mv $@.tmp $@

# The report: tables, charts, rules and gaps in one static page.
REPORT_INPUTS := $(CHART_SVG) $(OUT)/trade.tsv $(OUT)/rejects.tsv $(S)/correct.explain.tsv \
	$(foreach r,year partner section chapter stage,$(OUT)/summary-$(r).tsv) $(OUT)/published.tsv \
	$(OUT)/summary-sanction.tsv $(OUT)/summary-sanction-group.tsv $(SANCTIONS_RULES) \
	$(DV)/summary-year.tsv $(DV)/published.tsv \
	$(NKITW_RULES) $(MOU_TABLE) data/hs/sections.tsv
OUTPUTS += $(OUT)/report.html
.PHONY: report
report: $(OUT)/report.html
$(OUT)/report.html: $(PIPE_MK) $(REPORT_INPUTS) pipelines/report.py
	$(call say,report.py,$@)
	$(Q)python3 pipelines/report.py --sanctions $(SANCTIONS_RULES) $(OUT) $(MOU_TABLE) $(NKITW_RULES) > $@.tmp && mv $@.tmp $@
