# style.gp - what every chart shares (loaded by each NAME.gp). The charts are
# plain SVG (no fonts or scripts fetched: "sans" is whatever the reader has),
# 720x360, million USD unless the axis says otherwise. NaN in the data is a
# year without a figure: lines break there, bars are absent.
set terminal svg size 720,360 enhanced font "sans,11" background "white"
set output svg
set datafile separator "\t"
set key autotitle columnhead
set key top left horizontal Left reverse noopaque samplen 2
set border 3
set tics nomirror out
set grid ytics lc rgb "#dddddd" lt 1
set xtics 2 rotate by -45
set style fill solid 0.85 noborder
set boxwidth 0.8
set linetype 1 lc rgb "#c0392b" lw 2 pt 7 ps 0.6
set linetype 2 lc rgb "#2471a3" lw 2 pt 5 ps 0.6
set linetype 3 lc rgb "#7f8c8d" lw 2 pt 9 ps 0.6
set linetype 4 lc rgb "#d4ac0d" lw 2 pt 11 ps 0.6
set linetype 5 lc rgb "#27ae60" lw 2 pt 13 ps 0.6
set linetype 6 lc rgb "#8e44ad" lw 2 pt 15 ps 0.6
set linetype 7 lc rgb "#e67e22" lw 2 pt 7 ps 0.6
set linetype 8 lc rgb "#16a085" lw 2 pt 5 ps 0.6
set linetype cycle 8
set offsets 0.6, 0.6, 0, 0
