// Package nodefailure simulates the abrupt loss of a kind node and the
// operator's response to it.
//
// In kind a node is a container named after the Kubernetes node, so stopping
// the container is a power cut as far as the cluster can tell: the kubelet
// stops heartbeating, the node goes NotReady (Unknown) after the controller
// manager's grace period, and its pods stay bound to it. A StatefulSet will
// not replace them (at-most-one semantics) until they are deleted; the
// out-of-service taint is the supported way to let Kubernetes force-delete
// them and detach their volumes.
package nodefailure
