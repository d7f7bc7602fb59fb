// Package podexec runs a command in a container of a running pod, the way
// `kubectl exec` does: over WebSocket first, falling back to SPDY for API
// servers (or proxies) that refuse the WebSocket upgrade.
//
// Errors are *Error values that carry the pod, the command, what it printed
// and its exit code, so a failed spec shows the evidence without a rerun.
package podexec
