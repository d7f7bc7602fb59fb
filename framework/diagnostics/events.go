package diagnostics

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const eventTimeLayout = "2006-01-02T15:04:05.000000Z07:00"

func (d *dumper) events(ctx context.Context) {
	list, err := d.c.CoreV1().Events(d.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		d.fail("listing events", err)
		return
	}
	d.fail("writing events.txt", os.WriteFile(d.path("events.txt"), []byte(formatEvents(list.Items)), 0o644))
}

// formatEvents renders one line per event, oldest first:
//
//	<time> <type> <reason> <kind>/<name>: <message> (xN)
func formatEvents(events []corev1.Event) string {
	events = append([]corev1.Event(nil), events...)
	sort.SliceStable(events, func(i, j int) bool { return eventTime(events[i]).Before(eventTime(events[j])) })
	var b strings.Builder
	for _, e := range events {
		ts := "-"
		if t := eventTime(e); !t.IsZero() {
			ts = t.UTC().Format(eventTimeLayout)
		}
		fmt.Fprintf(&b, "%s %s %s %s/%s: %s", ts, e.Type, e.Reason, e.InvolvedObject.Kind, e.InvolvedObject.Name,
			strings.ReplaceAll(strings.TrimSpace(e.Message), "\n", " "))
		if e.Count > 1 {
			fmt.Fprintf(&b, " (x%d)", e.Count)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// eventTime is when the event last happened. Older reporters fill
// lastTimestamp; events.k8s.io reporters fill eventTime and, for repeats,
// series.lastObservedTime instead.
func eventTime(e corev1.Event) time.Time {
	switch {
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp.Time
	case e.Series != nil && !e.Series.LastObservedTime.IsZero():
		return e.Series.LastObservedTime.Time
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	case !e.FirstTimestamp.IsZero():
		return e.FirstTimestamp.Time
	}
	return e.CreationTimestamp.Time
}
