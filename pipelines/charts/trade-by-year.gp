# DPRK trade (exports + imports) by year, stacked: China, inter-Korean, others.
# A part without a figure (NaN: no China row, no inter-Korean figure) adds
# nothing to the stack and has no bar; a year without any figure has none.
load "pipelines/charts/style.gp"
set title "DPRK trade by year, million USD (exports + imports)"
v(c) = (valid(c) && column(c) == column(c)) ? column(c) : 0
plot dat using 1:(v(2)+v(3)+v(4)) with boxes lt 3 title "others", \
     dat using 1:(v(2)+v(3)) with boxes lt 2 title "inter-Korean (MOU)", \
     dat using 1:(v(2)) with boxes lt 1 title "China"
