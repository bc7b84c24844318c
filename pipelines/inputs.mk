# pipelines/inputs.mk - the input files of the default data set: every
# Comtrade file shipped in data/comtrade/ (data/comtrade/SOURCES.md says what
# each holds). Sorted, so the stream's row order never depends on the file
# system. Put your own downloads here, or give them on the command line:
#   make run COMTRADE_INPUTS='my/TradeData_*.csv'
COMTRADE_INPUTS ?= $(sort $(wildcard data/comtrade/*.csv))
