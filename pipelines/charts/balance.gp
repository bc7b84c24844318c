# The DPRK's trade balance (exports - imports), with and without inter-Korean trade.
load "pipelines/charts/style.gp"
set title "DPRK trade balance, million USD (exports - imports)"
set xzeroaxis lt -1
plot dat using 1:2 with linespoints lt 1, dat using 1:3 with linespoints lt 2
