package progress

import (
	"io"
	"sync"
)

// Printer writes Ginkgo's output and progress lines to one stream without
// cutting one into the other: a progress line always starts a line of its
// own, even after Ginkgo's dots, which end no line.
type Printer struct {
	mu      sync.Mutex
	w       io.Writer
	midLine bool
}

// NewPrinter prints to w.
func NewPrinter(w io.Writer) *Printer { return &Printer{w: w} }

// Write passes Ginkgo's output through.
func (p *Printer) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n, err := p.w.Write(b)
	if n > 0 {
		p.midLine = b[n-1] != '\n'
	}
	return n, err
}

// Println writes one line of its own.
func (p *Printer) Println(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.midLine {
		_, _ = io.WriteString(p.w, "\n")
	}
	_, _ = io.WriteString(p.w, line+"\n")
	p.midLine = false
}
