package zookeeper

import (
	"fmt"
	"strconv"
	"strings"
)

// MyID is the server id of the StatefulSet pod named <set>-<ordinal>:
// ordinal + 1 (ZooKeeper ids start at 1). It is the rule the image's
// zk-start applies; names a StatefulSet would not produce are refused.
func MyID(pod string) (int, error) {
	i := strings.LastIndex(pod, "-")
	if i <= 0 || i == len(pod)-1 || pod[i-1] == '-' {
		return 0, fmt.Errorf("pod name %q is not <set>-<ordinal>", pod)
	}
	suffix := pod[i+1:]
	n, err := strconv.Atoi(suffix)
	if err != nil || n < 0 || strconv.Itoa(n) != suffix {
		return 0, fmt.Errorf("pod name %q does not end in an ordinal", pod)
	}
	return n + 1, nil
}
