package guarantee

import (
	"strings"
	"testing"
	"time"

	"github.com/stsconform/stsconform/framework/timeline"
)

// An update of two pods to r2 with minReadySeconds 10: web-1 Ready at
// +12 s, web-0 at +18 s, so the last is available at +28 s.
func promotedAt(sec int) timeline.Timeline {
	tl := newScript().asBaseline(true).up(0, "r1").up(1, "r1").asBaseline(false).
		replace(1, "r2").replace(0, "r2").timeline()
	tl.Statuses = []timeline.SetStatus{
		{After: 12, ObservedAt: epoch.Add(13 * time.Second), CurrentRevision: "r1", UpdateRevision: "r2"},
		{After: 18, ObservedAt: epoch.Add(time.Duration(sec) * time.Second), CurrentRevision: "r2", UpdateRevision: "r2"},
	}
	return tl
}

func TestPromotionOf(t *testing.T) {
	early, err := PromotionOf(promotedAt(19), "r2", 2, 10)
	if err != nil {
		t.Fatal(err)
	}
	if early.Early() != 9*time.Second || early.LastPod != "web-0" {
		t.Errorf("promoted at +19 s: early %s by %s, want 9s by web-0", early.Early(), early.LastPod)
	}
	if s := early.String(); !strings.Contains(s, "9s before web-0 was available") || !strings.Contains(s, CurrentRevisionEarly+" reproduced") {
		t.Errorf("early promotion line: %s", s)
	}
	late, err := PromotionOf(promotedAt(30), "r2", 2, 10)
	if err != nil {
		t.Fatal(err)
	}
	if late.Early() > 0 || !strings.Contains(late.String(), "not reproduced") {
		t.Errorf("promoted at +30 s, 2 s after web-0 was available: %s", late)
	}
}

func TestPromotionOfSaysWhatTheWindowLacks(t *testing.T) {
	if _, err := PromotionOf(promotedAt(19), "r3", 2, 10); err == nil || !strings.Contains(err.Error(), "no status of the window names r3") {
		t.Errorf("no status promotes r3, got %v", err)
	}
	// Three replicas: ordinal 2 never ran r2.
	if _, err := PromotionOf(promotedAt(19), "r2", 3, 10); err == nil || !strings.Contains(err.Error(), "ordinal 2 has no Ready pod of revision r2") {
		t.Errorf("ordinal 2 lacks r2, got %v", err)
	}
}
