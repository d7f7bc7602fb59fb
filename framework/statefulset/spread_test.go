package statefulset

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func podOn(name, node string) corev1.Pod {
	return corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PodSpec{NodeName: node}}
}

func TestOnDistinctNodes(t *testing.T) {
	cases := []struct {
		name string
		pods []corev1.Pod
		want string // substring of the error; "" passes
	}{
		{"spread", []corev1.Pod{podOn("web-0", "n1"), podOn("web-1", "n2"), podOn("web-2", "n3")}, ""},
		{"two share", []corev1.Pod{podOn("web-0", "n1"), podOn("web-2", "n2"), podOn("web-1", "n2")}, "web-1 and web-2 on n2"},
		{"two pairs", []corev1.Pod{podOn("web-0", "n1"), podOn("web-1", "n1"), podOn("web-2", "n2"), podOn("web-3", "n2")}, "web-0 and web-1 on n1; web-2 and web-3 on n2"},
		{"unscheduled", []corev1.Pod{podOn("web-0", "n1"), podOn("web-1", "")}, "not scheduled"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := OnDistinctNodes(tc.pods)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
