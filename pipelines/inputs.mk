# pipelines/inputs.mk - the input files of the default data set: every
# Comtrade file shipped in data/comtrade/ (data/comtrade/SOURCES.md says what
# each holds). Sorted, so the stream's row order never depends on the file
# system. Put your own downloads here, or give them on the command line:
#   make run COMTRADE_INPUTS='my/TradeData_*.csv'
COMTRADE_INPUTS ?= $(sort $(wildcard data/comtrade/*.csv))

# Name-only totals tables (data/comtrade-totals/SOURCES.md): every partner's
# total exports to the DPRK 2014-2022 and imports from it 2021. The flow is
# only in the file name: exports files are read with --flow X, imports with
# --flow M.
TOTALS_X_INPUTS ?= $(sort $(wildcard data/comtrade-totals/comtrade_all_exports_*.csv))
TOTALS_M_INPUTS ?= $(sort $(wildcard data/comtrade-totals/comtrade_all_imports_*.csv))

# IMF Direction of Trade Statistics bulk files (data/dots/SOURCES.md): the
# second view (pipelines/dots.mk).
DOTS_INPUTS ?= $(sort $(wildcard data/dots/*.csv))
