// Package disruption performs voluntary disruptions the way an operator
// would: single evictions through the policy/v1 Eviction subresource (so
// PodDisruptionBudgets are honored) and node drains with kubectl's drain
// library, which is what `kubectl drain` runs.
package disruption
