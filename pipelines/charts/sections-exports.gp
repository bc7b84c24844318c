# DPRK exports by HS section and year, stacked (sections with trade in some year).
load "pipelines/charts/style.gp"
set title "DPRK exports by HS section, million USD"
stats dat using 1 nooutput
n = STATS_columns
set key outside right vertical Left noreverse
# a section without a figure (NaN) adds nothing to the stack
v(c) = (valid(c) && column(c) == column(c)) ? column(c) : 0
plot for [i=n:2:-1] dat using 1:(sum [c=2:i] v(c)) with boxes lt i-1 title columnhead(i)
