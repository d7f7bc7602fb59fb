package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"text/template"
	"time"
)

// mdLimit keeps one failure message from filling a CI job summary, which
// GitHub caps at 1 MiB; the whole message is in report.html.
const mdLimit = 3000

var mdTemplate = template.Must(template.New("report.md.tmpl").Funcs(template.FuncMap{
	"md":        mdText,
	"code":      mdCode,
	"fence":     mdFence,
	"icon":      icon,
	"anchor":    mdAnchor,
	"upper":     func(v Verdict) string { return strings.ToUpper(string(v)) },
	"str":       func(s fmt.Stringer) string { return s.String() },
	"orUnknown": orUnknown,
	"join":      strings.Join,
	"size":      byteSize,
	"sdur":      specDuration,
	"dur":       func(d time.Duration) string { return d.Round(time.Second).String() },
}).ParseFS(templates, "templates/report.md.tmpl", "templates/rerun.md.tmpl"))

func (r *Report) markdown() ([]byte, error) {
	var b bytes.Buffer
	if err := mdTemplate.Execute(&b, r.view()); err != nil {
		return nil, fmt.Errorf("rendering %s: %w", MarkdownFile, err)
	}
	return b.Bytes(), nil
}

func icon(s fmt.Stringer) string {
	switch s.String() {
	case string(Verified), string(Certified), string(passed):
		return "✅"
	case string(Failed):
		return "❌"
	}
	return "⚠️"
}

// mdSpecial are the characters GitHub's Markdown would read as markup or
// raw HTML in text that comes from specs, the cluster or the checker.
var mdSpecial = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "|", `\|`, "#", `\#`,
)

// mdText also folds newlines, so that it is safe in a table cell.
func mdText(s string) string {
	return mdSpecial.Replace(strings.Join(strings.Fields(clip(s, mdLimit)), " "))
}

// mdCode renders a short value as code; a backtick inside widens the
// delimiter so the value cannot end the span early.
func mdCode(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\n", " ")
	s = strings.ReplaceAll(s, "|", `\|`)
	delim := "`"
	for strings.Contains(s, delim) {
		delim += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return delim + s + delim
}

// mdFence puts a multi-line message in a code block whose fence is longer
// than any run of backticks in it.
func mdFence(s string) string {
	s = clip(s, mdLimit)
	fence := "```"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + "text\n" + strings.TrimRight(s, "\n") + "\n" + fence
}

var anchorDrop = regexp.MustCompile(`[^\p{L}\p{N} -]`)

// mdAnchor is the id GitHub gives a heading.
func mdAnchor(title string) string {
	return strings.ReplaceAll(anchorDrop.ReplaceAllString(strings.ToLower(title), ""), " ", "-")
}
