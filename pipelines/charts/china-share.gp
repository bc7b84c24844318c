# China's share of DPRK trade without inter-Korean trade, nktrade beside
# KOTRA's (its China figure over its total, both published).
load "pipelines/charts/style.gp"
set title "China's share of DPRK trade excluding inter-Korean trade, %"
set yrange [0:100]
plot dat using 1:2 with linespoints lt 1, dat using 1:3 with linespoints lt 3
