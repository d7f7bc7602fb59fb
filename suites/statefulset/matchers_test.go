//go:build e2e

package statefulset_test

import (
	"github.com/onsi/gomega/gcustom"
	"github.com/onsi/gomega/types"
	corev1 "k8s.io/api/core/v1"

	"github.com/stsconform/stsconform/framework/nodefailure"
	"github.com/stsconform/stsconform/framework/pod"
)

// Matchers for Eventually waits on objects: a failed wait prints the last
// object's state in a line, not only "expected true".

func beReadyPod() types.GomegaMatcher {
	return gcustom.MakeMatcher(func(p *corev1.Pod) (bool, error) {
		return pod.Ready(p), nil
	}).WithTemplate("pod not Running and Ready: {{.Data.Describe .Actual}}", podState{})
}

// beSchedulableNode: Ready, and without the taints a lost node keeps for a
// few seconds after it is Ready again, so that the next spec can use it.
func beSchedulableNode() types.GomegaMatcher {
	return gcustom.MakeMatcher(func(n *corev1.Node) (bool, error) {
		return nodefailure.NodeSchedulable(n), nil
	}).WithTemplate("node not schedulable: {{.Data.Describe .Actual}}", nodeState{})
}

func beNotReadyNode() types.GomegaMatcher {
	return gcustom.MakeMatcher(func(n *corev1.Node) (bool, error) {
		return nodefailure.NodeNotReady(n), nil
	}).WithTemplate("node still Ready: {{.Data.Describe .Actual}}", nodeState{})
}

// podState and nodeState describe the actual value inside a template, only
// when a failure message is needed.
type podState struct{}

func (podState) Describe(p *corev1.Pod) string { return pod.Describe(p) }

type nodeState struct{}

func (nodeState) Describe(n *corev1.Node) string { return nodefailure.DescribeNode(n) }
