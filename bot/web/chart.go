package web

import (
	"fmt"
	"html/template"
	"strings"
)

// Charts are server-rendered SVG scaled to the page's width (viewBox, no fixed size): they draw
// without JavaScript and never make the page scroll sideways.

// esc escapes text for SVG.
func esc(s string) string { return template.HTMLEscapeString(s) }

// barsSVG draws one horizontal bar per row: done (green) over the total (grey), with counts.
func barsSVG(title string, rows []tally) template.HTML {
	const w, rowH, labelW = 360, 26, 92
	h := 24 + rowH*len(rows)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg" font-size="12">`, w, h, esc(title))
	fmt.Fprintf(&b, `<text x="0" y="14" font-weight="600">%s</text>`, esc(title))
	max := 1
	for _, r := range rows {
		max = maxInt(max, r.Total)
	}
	barW := w - labelW - 64
	for i, r := range rows {
		y := 24 + i*rowH
		name := []rune(r.Name)
		if len(name) > 7 {
			name = append(name[:6], '…')
		}
		fmt.Fprintf(&b, `<text x="0" y="%d">%s</text>`, y+15, esc(string(name)))
		tw := r.Total * barW / max
		dw := r.Done * barW / max
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="16" fill="#e5e6eb"/>`, labelW, y+3, tw)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="16" fill="#2ea121"><title>%s：完成%d/%d</title></rect>`, labelW, y+3, dw, esc(r.Name), r.Done, r.Total)
		label := fmt.Sprintf("%d/%d", r.Done, r.Total)
		if r.Overdue > 0 {
			label += fmt.Sprintf(" 逾%d", r.Overdue)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s">%s</text>`, labelW+tw+4, y+15, color(r.Overdue), esc(label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // built from escaped parts only
}

// columnsSVG draws one column per month: the total (grey) with the done part (green).
func columnsSVG(title string, cols []tally) template.HTML {
	const w, h, top, bottom = 360, 190, 40, 22
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg" font-size="11">`, w, h, esc(title))
	fmt.Fprintf(&b, `<text x="0" y="14" font-weight="600" font-size="12">%s</text>`, esc(title))
	fmt.Fprintf(&b, `<rect x="200" y="22" width="10" height="10" fill="#2ea121"/><text x="213" y="31">完成</text><rect x="250" y="22" width="10" height="10" fill="#e5e6eb"/><text x="263" y="31">未完成</text>`)
	max := 1
	for _, c := range cols {
		max = maxInt(max, c.Total)
	}
	plot := h - top - bottom
	step := w / len(cols)
	for i, c := range cols {
		x := i*step + 4
		th := c.Total * plot / max
		dh := c.Done * plot / max
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#e5e6eb"/>`, x, top+plot-th, step-8, th)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#2ea121"><title>%s：完成%d/%d</title></rect>`, x, top+plot-dh, step-8, dh, esc(c.Name), c.Done, c.Total)
		if c.Total > 0 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" fill="%s">%d</text>`, x+(step-8)/2, top+plot-th-2, color(c.Overdue), c.Total)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%d</text>`, x+(step-8)/2, h-6, i+1)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // built from escaped parts only
}

func color(overdue int) string {
	if overdue > 0 {
		return "#d83931"
	}
	return "#646a73"
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}
