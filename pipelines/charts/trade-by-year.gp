# DPRK trade (exports + imports) by year, stacked: China, inter-Korean, others.
load "pipelines/charts/style.gp"
set title "DPRK trade by year, million USD (exports + imports)"
plot dat using 1:($2+$3+$4) with boxes lt 3 title "others", \
     dat using 1:($2+$3) with boxes lt 2 title "inter-Korean (MOU)", \
     dat using 1:2 with boxes lt 1 title "China"
