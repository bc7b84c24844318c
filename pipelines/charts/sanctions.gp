# Trade in the goods the UN Security Council's resolutions ban or cap, by
# year: one line per direction of trade (sanction-groups.py folds the entries
# of rules/sanctions.yaml into two) and tag: solid = rows whose code is one of
# the named goods, dashed = rows of a broader code (a whole chapter) that
# holds them and other goods. A time axis: tic Y is 1 January Y, a year's
# figure is drawn in the middle of its year (Y + 0.5), and a dotted vertical
# line marks each resolution's first in-force date on the day.
# sanctions-marks.gp (made by charts.py beside the data, from the rule file)
# holds the marks and each column's line and dash type. Log scale: the named
# goods are millions of dollars a year, the broader rows up to billions; the
# top two decades are left free for the marks' labels. NaN = no data that
# year: the line breaks.
load "pipelines/charts/style.gp"
set title "DPRK trade in goods under UN sanctions, million USD (log scale)"
set logscale y
set format y "%g"
set key outside bottom center horizontal Left reverse noopaque samplen 3 maxrows 2
set offsets 0, 0, 0, 0
set autoscale xfix
load dat[1:strlen(dat)-4]."-marks.gp"
stats dat using 1 nooutput
n = STATS_columns
x0 = STATS_min
x1 = STATS_max + 1
top = 0
do for [i=2:n] { stats dat using i nooutput; if (STATS_max > top) { top = STATS_max } }
set xrange [x0:x1]
set yrange [:top * 100]
plot for [i=2:n] dat using ($1 + 0.5):i with linespoints lt (word(lts, i-1)+0) dt 0+word(dts, i-1)
