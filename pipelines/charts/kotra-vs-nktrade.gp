# nktrade's yearly total without inter-Korean trade beside KOTRA's published
# totals (which leave inter-Korean trade out too); gaps where either has none.
load "pipelines/charts/style.gp"
set title "DPRK trade excluding inter-Korean trade: nktrade and KOTRA, million USD"
plot dat using 1:2 with linespoints lt 1, dat using 1:3 with linespoints lt 3
