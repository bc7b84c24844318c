# pipelines/build.mk - the dataset build (`make run`): make runs the nk-*
# tools as a chain of file targets under $(OUT), so that
#   - changing a rule file or an input reruns only the stages after it,
#   - an unchanged rerun does nothing (`make -q -f pipelines/build.mk` says so),
#   - the output is the same bytes whatever the order or -j make runs it in.
# Run from the top of the source tree; the top Makefile's `make run` calls
#   $(MAKE) -f pipelines/build.mk OUT=out B=build
# and so can you (`OUT=/tmp/x` builds somewhere else; V=1 shows the commands).
#
# Every recipe writes its target atomically: the nk-* tools' -o/--rejects/
# --audit files are renamed into place when complete, and the other steps
# write $@.tmp and rename it. A failed stage leaves the previous target as it
# was, never half a file (the cron wrapper copies a build and relies on it).
#
# The stages read files by paths relative to $(OUT) (the tools run with $(OUT)
# as their directory), so the `file` column of rejects and audit rows names
# `stage/...` wherever the build was made: two builds in two directories give
# the same bytes.

OUT ?= out
B   ?= build
V   ?=
Q    = $(if $(V),,@)
say  = $(if $(V),,@printf '  %-22s %s\n' '$(1)' '$(2)';)

SHELL := /bin/sh
export LC_ALL := C
# The shipped data the tools read (tables in data/, rules/) is this tree's,
# whatever NK_DATADIR the caller has set: the prerequisites below name it.
export NK_DATADIR := $(CURDIR)

BIN := $(abspath $(B)/bin)
# A changed recipe is a changed stage: every target depends on the make files.
PIPE_MK := $(wildcard pipelines/*.mk)
S   := $(OUT)/stage

.DELETE_ON_ERROR:
.SUFFIXES:
.PHONY: outputs run summary clean-out

# The pipelines (one fragment each; nkitw is the default data set).
include pipelines/inputs.mk
include pipelines/nkitw.mk
include pipelines/structure.mk
include pipelines/sanctions.mk
include pipelines/dots.mk
# last: the report's prerequisites name the other fragments' files
include pipelines/report.mk

outputs: $(OUTPUTS)

# What `make run` ends with: a few lines a person reads.
run: outputs
	$(Q)sh pipelines/summary.sh $(OUT)

summary:
	$(Q)sh pipelines/summary.sh $(OUT)

clean-out:
	rm -rf $(OUT)

$(OUT) $(S):
	$(Q)mkdir -p $@

# Published figures (KOTRA totals etc.), for comparison only.
$(OUT)/published.tsv: $(PIPE_MK) data/published/yearly_figures.csv pipelines/published.py | $(OUT)
	$(call say,published,$@)
	$(Q)python3 pipelines/published.py data/published/yearly_figures.csv > $@.tmp && mv $@.tmp $@
