package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"strings"
	"time"
)

//go:embed templates
var templates embed.FS

var htmlTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"class":     class,
	"orUnknown": orUnknown,
	"join":      strings.Join,
	"size":      byteSize,
	"sdur":      specDuration,
	"dur":       func(d time.Duration) string { return d.Round(time.Second).String() },
	// svgChart escapes every string it draws, which is what makes this
	// conversion safe.
	"chart": func(ev *evidence) template.HTML { return template.HTML(svgChart(ev)) },
}).ParseFS(templates, "templates/report.html.tmpl", "templates/rerun.html.tmpl"))

func (r *Report) html() ([]byte, error) {
	var b bytes.Buffer
	if err := htmlTemplate.Execute(&b, r.view()); err != nil {
		return nil, fmt.Errorf("rendering %s: %w", HTMLFile, err)
	}
	return b.Bytes(), nil
}
