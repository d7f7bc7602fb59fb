package guarantee

import (
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

func podIndex(first, replicas int) func(timeline.Timeline) error {
	return func(tl timeline.Timeline) error { return PodIndexInput{First: first, Replicas: replicas}.Judge(tl) }
}

func TestPodIndexLabel(t *testing.T) {
	runChecks(t, podIndex(0, 3), []checkCase{
		{
			name: "every pod labelled with its ordinal, re-created ones too",
			tl:   newScript().up(0, "r1").up(1, "r1").up(2, "r1").replace(1, "r2").timeline(),
		},
		{
			name: "baseline pods are judged as well",
			tl:   newScript().asBaseline(true).up(0, "r1").up(1, "r1").asBaseline(false).up(2, "r1").timeline(),
		},
		{
			name:   "a pod created without the label",
			tl:     newScript().up(0, "r1").indexed(1, "").up(1, "r1").up(2, "r1").timeline(),
			wantIn: []string{"web-1 uid=uid-1-1 (ordinal 1) was first seen with no label apps.kubernetes.io/pod-index", `want "1"`, "#4 Created web-1"},
		},
		{
			name:   "a pod labelled with another ordinal",
			tl:     newScript().up(0, "r1").up(1, "r1").indexed(2, "0").up(2, "r1").timeline(),
			wantIn: []string{`web-2 uid=uid-2-1 (ordinal 2) was first seen with label apps.kubernetes.io/pod-index="0"`, "pod-index=0"},
		},
		{
			name:   "only the re-created pod lacks it",
			tl:     newScript().up(0, "r1").up(1, "r1").up(2, "r1").indexed(1, "").replace(1, "r2").timeline(),
			wantIn: []string{"web-1 uid=uid-1-2 (ordinal 1)"},
		},
		{
			name:   "a pod never seen",
			tl:     newScript().up(0, "r1").up(1, "r1").timeline(),
			wantIn: []string{"pods web-2"},
			lacks:  true,
		},
		{
			name:   "an empty recording",
			tl:     newScript().timeline(),
			wantIn: []string{"pods web-0..web-2", "no events at all"},
			lacks:  true,
		},
	})
}

func TestPodIndexLabelFromAStartOrdinal(t *testing.T) {
	runChecks(t, podIndex(5, 2), []checkCase{
		{name: "web-5 and web-6", tl: newScript().up(5, "r1").up(6, "r1").timeline()},
		{
			name:   "web-6 labelled as if numbered from 0",
			tl:     newScript().up(5, "r1").indexed(6, "1").up(6, "r1").timeline(),
			wantIn: []string{`web-6 uid=uid-6-1 (ordinal 6) was first seen with label apps.kubernetes.io/pod-index="1", want "6"`},
		},
		{name: "web-0 and web-1 instead", tl: newScript().up(0, "r1").up(1, "r1").timeline(), wantIn: []string{"pods web-5..web-6"}, lacks: true},
	})
}
